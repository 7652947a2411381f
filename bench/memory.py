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
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import Swarm, run
from bench.results import write_report
from bench.server import cara_fed_server, rss_mb


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
    swarm = Swarm(50)
    threading.Thread(target=swarm.serve_forever, daemon=True).start()
    try:
        with cara_fed_server() as server:
            time.sleep(2)
            idle = rss_mb(server.pid)
            sent = 0
            while sent < args.activities:
                result = asyncio.run(run(f"{server.base}/inbox", swarm, 5.0, 16))
                sent += result["accepted"]
            deadline = time.monotonic() + 300
            while processed(server.database) < sent and time.monotonic() < deadline:
                time.sleep(1)
            after = rss_mb(server.pid)
            report = {
                "bench": "memory",
                "idle_rss_mb": idle,
                "activities": sent,
                "processed": processed(server.database),
                "after_activities_rss_mb": after,
            }
    finally:
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
