"""GoToSocial as a real peer on loopback, for the tests that check what another server's
users see (tests/e2e/test_gotosocial.py). GoToSocial is not a Python package: it runs where
someone built it from its public source (Go, outside this repository) and points
CARA_FED_GOTOSOCIAL at the binary; elsewhere those tests are skipped, saying so.

Each instance gets its own port, SQLite file and storage, plain http and leave to reach
loopback (it refuses private addresses by default). Accounts are made with its admin CLI
and signed in through its own OAuth pages, as an app does; its client API is Mastodon's."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx

from tests.instances import free_port

BINARY_ENV = "CARA_FED_GOTOSOCIAL"
# Its page templates, from the same source tree (default: beside the binary, or src/web).
WEB_ENV = "CARA_FED_GOTOSOCIAL_WEB"
PASSWORD = "Very-Long-Password-123!"
OOB = "urn:ietf:wg:oauth:2.0:oob"


def _binary() -> Path | None:
    value = os.environ.get(BINARY_ENV)
    return Path(value) if value else None


def _web_dir(binary: Path) -> Path | None:
    candidates = [os.environ.get(WEB_ENV), binary.parent / "web", binary.parent / "src" / "web"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "template").is_dir():
            return Path(candidate)
    return None


def unavailable() -> str | None:
    """Why GoToSocial cannot run here, or None when it can."""
    binary = _binary()
    if binary is None:
        return (
            f"GoToSocial is not built here: set {BINARY_ENV} to a gotosocial binary built "
            f"from its source (and {WEB_ENV} to its web/ folder) to run this test"
        )
    if not os.access(binary, os.X_OK):
        return f"{BINARY_ENV}={binary} is not an executable"
    if _web_dir(binary) is None:
        return f"GoToSocial's web/ templates were not found: set {WEB_ENV}"
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        return "GoToSocial needs ffmpeg and ffprobe on PATH to keep media"
    return None


class GoToSocial:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.binary = _binary()
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.domain}"

    @property
    def config_path(self) -> Path:
        return self.root / "config.yaml"

    def _write_config(self) -> None:
        web = _web_dir(self.binary)
        self.root.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            f"""log-level: "info"
host: "{self.domain}"
protocol: "http"
bind-address: "127.0.0.1"
port: {self.port}
db-type: "sqlite"
db-address: "{self.root / "gts.sqlite"}"
storage-backend: "local"
storage-local-base-path: "{self.root / "storage"}"
accounts-registration-open: false
instance-federation-mode: "blocklist"
letsencrypt-enabled: false
web-template-base-dir: "{web}/template/"
web-asset-base-dir: "{web}/assets/"
http-client:
  allow-ips: ["127.0.0.1/32"]
  insecure-outgoing: true
"""
        )

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [str(self.binary), "--config-path", str(self.config_path), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise AssertionError(f"gotosocial {' '.join(args)} failed: {result.stderr[-2000:]}")

    def start(self) -> GoToSocial:
        self._write_config()
        log = (self.root / "gts.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.binary), "--config-path", str(self.config_path), "server", "start"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"GoToSocial exited: {self.log()[-2000:]}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/instance", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"GoToSocial did not answer within 60 s: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        path = self.root / "gts.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_user(self, name: str) -> None:
        """An account, confirmed, made with GoToSocial's own admin CLI (the server runs)."""
        email = f"{name}@gts.test"
        self._run("admin", "account", "create", "--username", name, "--email", email,
                  "--password", PASSWORD)  # fmt: skip
        self._run("admin", "account", "confirm", "--username", name)
        self.tokens[name] = self._sign_in(email)

    def _sign_in(self, email: str) -> str:
        """An access token through GoToSocial's OAuth pages, as an app gets one: register,
        authorize (its sign-in form takes the email), allow, exchange the code."""
        scope = "read write follow"
        with httpx.Client(base_url=self.base_url, timeout=30) as web:
            register = {"client_name": "cara-fed tests", "redirect_uris": OOB, "scopes": scope}
            app = web.post("/api/v1/apps", data=register)
            app.raise_for_status()
            client_id, secret = app.json()["client_id"], app.json()["client_secret"]
            params = {"client_id": client_id, "redirect_uri": OOB, "response_type": "code",
                      "scope": scope}  # fmt: skip
            assert web.get("/oauth/authorize", params=params).status_code in (302, 303)
            signed = web.post("/auth/sign_in", data={"username": email, "password": PASSWORD})
            assert signed.status_code in (302, 303), signed.text[:300]
            allowed = web.post("/oauth/authorize")
            location = urljoin(self.base_url, allowed.headers["location"])
            [code] = parse_qs(urlparse(location).query)["code"]
            token = web.post("/oauth/token", data={
                "grant_type": "authorization_code", "code": code, "client_id": client_id,
                "client_secret": secret, "redirect_uri": OOB, "scope": scope,
            })  # fmt: skip
            token.raise_for_status()
            return token.json()["access_token"]

    def api(self, name: str) -> httpx.Client:
        """The client API as `name`."""
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.tokens[name]}"},
            timeout=60,
        )
