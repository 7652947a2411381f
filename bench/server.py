"""A cara-fed server from this checkout on a fresh data directory, for the benchmarks that
measure one (memory.py, and fanout.py and fetch.py when given no target), and what its process
costs: RSS and CPU time from /proc.

The server listens on loopback only, may fetch from loopback (`allow_private_addresses`, so
the benchmarks' fake peers can be reached) and does not cloak; `settings` adds or overrides
config values. Every `cara-fed` subprocess runs with this checkout first on PYTHONPATH and as
its working directory, so it is this code that is measured, wherever the script is run from.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
Settings = dict[str, dict[str, object]]
BASE_SETTINGS: Settings = {
    "federation": {"allow_private_addresses": True, "webfinger_http_fallback": True},
    "cloak": {"enabled": False},
}


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """--set (config of a self-started cara-fed) and --results, as every benchmark has them."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="config of the self-started cara-fed (repeatable)",
    )
    parser.add_argument("--results", action="store_true", help="write bench/RESULTS.md")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory now (VmRSS) or at its peak so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no {field}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of the process and every process below it (a server's web and worker
    processes) that is still running."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += cpu_seconds(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # it ended meanwhile
    return total


def parse_setting(text: str) -> tuple[str, str, object]:
    """`section.key=value`, the value in TOML (`delivery.concurrency=16`, `a.b="text"`)."""
    name, sep, raw = text.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot:
        raise ValueError(f"{text!r} is not section.key=value")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word: take it as a string
    return section, key, value


def with_overrides(settings: Settings, overrides: list[str]) -> Settings:
    """`settings` with `section.key=value` overrides (the benchmarks' --set) applied."""
    out = merged(settings)
    for text in overrides:
        section, key, value = parse_setting(text)
        out.setdefault(section, {})[key] = value
    return out


def merged(*layers: Settings) -> Settings:
    out: Settings = {}
    for layer in layers:
        for section, values in layer.items():
            out.setdefault(section, {}).update(values)
    return out


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def config_text(port: int, settings: Settings) -> str:
    sections = merged(
        {"instance": {"url": f"http://127.0.0.1:{port}"}, "server": {"port": port}}, settings
    )
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def child_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else "")}


@dataclass
class CaraFed:
    root: Path
    config: Path
    base: str
    process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, "the server is not running"
        return self.process.pid

    @property
    def log(self) -> Path:
        return self.root / "serve.log"

    @property
    def database(self) -> Path:
        return self.root / "data" / "cara-fed.sqlite3"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "cara_fed", "--config", str(self.config), *args]

    def shell_command(self, *args: str) -> str:
        """The same as a shell line, for benchmarks that take a command to run."""
        return f"cd {shlex.quote(str(REPO))} && {shlex.join(self.command(*args))}"

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            self.command(*args),
            cwd=REPO,
            env=child_env(),
            input=stdin,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"cara-fed {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def actor_url(self, name: str) -> str:
        return f"{self.base}/users/{name}"


def wait_until_serving(server: CaraFed, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is None or server.process.poll() is not None:
            break
        try:
            if httpx.get(f"{server.base}/.well-known/nodeinfo", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    tail = server.log.read_text(errors="replace")[-2000:] if server.log.exists() else ""
    raise RuntimeError(f"cara-fed serve did not come up at {server.base}:\n{tail}")


# `--set database.url=postgres:fresh`: a new database on the PostgreSQL server at
# 127.0.0.1:5432 (tests/postgres.py), dropped when the benchmark ends.
FRESH_POSTGRES = "postgres:fresh"


@contextmanager
def cara_fed_server(settings: Settings | None = None, *, keep: bool = False) -> Iterator[CaraFed]:
    """`cara-fed init` and `serve` on a new temporary directory, stopped (and the directory
    removed unless `keep`) on exit."""
    settings = merged(BASE_SETTINGS, settings or {})
    fresh = settings.get("database", {}).get("url") == FRESH_POSTGRES
    if fresh:
        from tests import postgres

        settings["database"]["url"] = postgres.create_database()
    try:
        with _serving(settings, keep=keep) as server:
            yield server
    finally:
        if fresh:
            postgres.drop_database(str(settings["database"]["url"]))


@contextmanager
def _serving(settings: Settings, *, keep: bool) -> Iterator[CaraFed]:
    root = Path(tempfile.mkdtemp(prefix="cara-fed-bench-"))
    port = free_port()
    config = root / "instance.toml"
    config.write_text(config_text(port, settings))
    server = CaraFed(root, config, f"http://127.0.0.1:{port}")
    server.run("init")
    with server.log.open("wb") as log:
        server.process = subprocess.Popen(
            server.command("serve"), cwd=REPO, env=child_env(), stdout=log, stderr=log
        )
    process = server.process
    try:
        wait_until_serving(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def write_test_image(path: Path, size: int = 256) -> Path:
    """A small PNG to post (posts on cara-fed carry at least one image)."""
    from PIL import Image

    Image.radial_gradient("L").resize((size, size)).convert("RGB").save(path)
    return path
