"""Memory of a cara-fed server: RSS when idle (before any model is loaded) and after it has
received and processed N activities from bench/ingest.py's fake actors.

It starts its own server on a fresh data directory (loopback, allow_private_addresses on so
the fake actors can be fetched, the cloak off), so it measures this checkout, nothing else.
Prints one JSON line; `--results` writes the section "memory" of bench/RESULTS.md.

Run: python bench/memory.py [--activities 10000] [--results]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import Swarm, prepare, run
from bench.results import write_report


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processed(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(
            "SELECT count(*) FROM inbound_activities WHERE state != 'pending'"
        ).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cara-fed-memory-"))
    port = free_port()
    config = root / "instance.toml"
    config.write_text(
        f'[instance]\nurl = "http://127.0.0.1:{port}"\n[server]\nport = {port}\n'
        "[federation]\nallow_private_addresses = true\n[cloak]\nenabled = false\n"
    )
    cli = [sys.executable, "-m", "cara_fed", "--config", str(config)]
    subprocess.run([*cli, "init"], check=True, capture_output=True)
    server = subprocess.Popen([*cli, "serve"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    swarm = Swarm(50)
    threading.Thread(target=swarm.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/.well-known/nodeinfo", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        time.sleep(2)
        idle = rss_mb(server.pid)
        requests = prepare(f"{base}/inbox", swarm, args.activities)
        sent = asyncio.run(run(f"{base}/inbox", requests, 600.0, 16))["accepted"]
        database = root / "data" / "cara-fed.sqlite3"
        deadline = time.monotonic() + 300
        while processed(database) < sent and time.monotonic() < deadline:
            time.sleep(1)
        after = rss_mb(server.pid)
        report = {
            "bench": "memory",
            "idle_rss_mb": idle,
            "activities": sent,
            "processed": processed(database),
            "after_activities_rss_mb": after,
        }
    finally:
        server.terminate()
        server.wait(30)
        swarm.shutdown()
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "memory",
            "Memory (bench/memory.py)",
            "RSS of `cara-fed serve` (cloak off; no model loaded by these requests).\n"
            "Target: idle ≤ 120 MB before any model is loaded.",
            report,
        )


if __name__ == "__main__":
    main()
