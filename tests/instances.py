"""Real cara-fed instances as processes on loopback, driven through the CLI and HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tests.seaweedfs import Bucket

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Instance:
    name: str
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    extra_config: str = ""
    # Lines for the [server] section. One worker process beside each test server, not the
    # default two: a test instance does not need two to keep up, and on two cores every
    # process started costs the whole suite (1,038 tests took 1,097 s with two). The tests
    # of several workers ask for them.
    server_config: str = "worker_processes = 1"
    extra_federation: str = ""
    # Lines for the [instance] section (registrations, for one).
    instance_config: str = ""
    # The cloak takes ~40 s per image at full strength: instances cloak only in the tests
    # about it, which set their own (short) [cloak] section here.
    cloak_config: str = "enabled = false"
    # Instances federate with each other on loopback; the SSRF tests turn this off.
    allow_private: bool = True
    # WebFinger over plain http when https does not answer (None: as allow_private).
    webfinger_http: bool | None = None
    # A PostgreSQL database (tests/postgres.py) instead of the SQLite file in data_dir.
    database_url: str = ""
    # Lines for the [media] section; with `bucket` (tests/seaweedfs.py) they put the media in
    # that bucket instead of data_dir/media.
    media_config: str = ""
    bucket: Bucket | None = None

    @property
    def _webfinger_http(self) -> bool:
        return self.allow_private if self.webfinger_http is None else self.webfinger_http

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.root / "instance.toml"

    @property
    def database(self) -> Path:
        return self.root / "data" / "cara-fed.sqlite3"

    def write_config(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            f"""
[instance]
url = "{self.base_url}"
name = "test {self.name}"
data_dir = "data"
{self.instance_config}
[server]
host = "127.0.0.1"
port = {self.port}
{self.server_config}
[database]
url = "{self.database_url}"
[federation]
allow_private_addresses = {"true" if self.allow_private else "false"}
webfinger_http_fallback = {"true" if self._webfinger_http else "false"}
fetch_timeout_seconds = 5.0
{self.extra_federation}
[delivery]
poll_interval_seconds = 0.2
retry_base_seconds = 0.5
retry_max_delay_seconds = 2.0
lease_seconds = 5.0
domain_unavailable_seconds = 2.0
[inbound]
retry_base_seconds = 0.5
retry_max_delay_seconds = 2.0
lease_seconds = 5.0
[cloak]
{self.cloak_config}
[media]
{self.media_config}
{self.extra_config}
"""
        )

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO)
        env.pop("CARA_FED_CONFIG", None)
        # Several processes share two cores here: numpy's BLAS threads spin while they wait
        # for a busy core, which made a 4 s cloak take a minute.
        env["OPENBLAS_NUM_THREADS"] = "1"
        return env

    def cli(
        self, *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "cara_fed", "--config", str(self.config_path), *args],
            capture_output=True,
            text=True,
            input=stdin,
            env=self.env(),
            timeout=60,
            cwd=self.root,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"cara-fed {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        with open(self.root / "server.log", "ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cara_fed", "--config", str(self.config_path), "serve"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env(),
                cwd=self.root,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited at start:\n{self.log()}")
            try:
                if httpx.get(f"{self.base_url}/.well-known/nodeinfo", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Rows as tuples, whichever database the instance runs on; SQL in SQLite's dialect
        where the two differ (`?` placeholders), which the tests on both keep to."""
        if self.database_url:
            from tests import postgres

            return postgres.query(self.database_url, sql, *params)
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    def media_names(self) -> set[str]:
        """Every file in the instance's media store (its bucket, else data_dir/media), by
        media name (`local/<sha>.jpg`)."""
        if self.bucket is not None:
            return self.bucket.names()
        root = self.root / "data" / "media"
        if not root.is_dir():
            return set()
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    def has_media(self, name: str) -> bool:
        return name in self.media_names()

    def timeline(self, name: str) -> list[dict[str, Any]]:
        return json.loads(self.cli("timeline", name, "--json").stdout)

    def private_key(self, username: str) -> tuple[str, str]:
        """(key id, private PEM) of a local account, for tests that forge or replay requests."""
        [(key_id, pem)] = self.query(
            "SELECT key_id, private_key_pem FROM actors WHERE local = TRUE AND username = ?",
            username,
        )
        return key_id, pem


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    """Poll `predicate` until it is truthy. Between two polls we rest at least as long as the
    last one took: a predicate that runs the CLI starts a Python process (about a second of
    CPU), and polling those back to back kept a core busy, starving the very servers (and
    their low-priority cloak children) whose work we were waiting for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        value = predicate()
        if value:
            return value
        time.sleep(max(interval, time.monotonic() - started))
    raise AssertionError(f"timed out waiting for {what}")


def wait_handled(site: Instance, activity_id: str, timeout: float = 60.0) -> None:
    """Until the inbound worker of `site` has handled the activity it answered 202 to."""
    wait_for(
        lambda: site.query(
            "SELECT 1 FROM inbound_activities WHERE uri = ? AND state = 'done'", activity_id
        ),
        timeout=timeout,
        what=f"{activity_id} to be handled",
    )


def follow_accepted(site: Instance, member: str, peer: Any, actor: str) -> None:
    """`member` of `site` follows `actor` of a FakePeer (tests/fake_peer.py), which accepts:
    the follow the hostile tests start from, so that the actor's posts are kept."""
    site.cli("follow", member, actor, check=False)
    [follow] = wait_for(
        lambda: [r.body for r in peer.received if r.kind == "Follow" and r.body["object"] == actor]
    )
    accept = {"id": peer.new_id(actor), "type": "Accept", "actor": actor, "object": follow}
    assert peer.send(actor, f"{site.base_url}/inbox", accept).status_code == 202
    wait_for(
        lambda: site.query(
            "SELECT 1 FROM follows f JOIN actors a ON a.id = f.followee_id "
            "WHERE a.uri = ? AND f.state = 'accepted'",
            actor,
        ),
        what=f"{member}'s follow of {actor} to be accepted",
    )
