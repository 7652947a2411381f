"""Memory of a cara-fed server: RSS when idle (before any model is loaded), after it has
received and processed N activities from bench/ingest.py's fake actors, and after one post has
been fanned out to F followers on D instances by bench/fanout.py's machinery (the follows it
takes included), with the peak RSS over the whole run.

It starts its own server on a fresh data directory (bench/server.py: loopback,
allow_private_addresses on so the fake actors can be fetched, the cloak off, the screening
classifier off: the post's screening runs in the CLI process, not in the server), so it
measures this checkout, nothing else. Prints one JSON line; `--results` writes the section
"memory" of bench/RESULTS.md.

Run: python bench/memory.py [--activities 10000] [--fanout-followers 10000]
       [--fanout-instances 500] [--results]
`--fanout-followers 0` leaves the fan-out out.
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

from bench import fanout
from bench.ingest import Swarm, prepare, run
from bench.results import write_report
from bench.server import CaraFed, cara_fed_server, rss_mb


def processed(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(
            "SELECT count(*) FROM inbound_activities WHERE state != 'pending'"
        ).fetchone()[0]


def after_fanout(server: CaraFed, followers: int, instances: int) -> dict:
    """Fan one post out to `followers` on `instances`; the server's RSS once it is done."""
    post = fanout.artist_and_post_command(server)
    plan = fanout.Plan(followers=followers, instances=instances)
    result = asyncio.run(fanout.run(server.actor_url("artist"), None, post, server.pid, plan))
    time.sleep(2)
    return {
        "fanout_followers": followers,
        "fanout_instances": instances,
        "fanout_received": result["deliveries_received"],
        "fanout_expected": result["deliveries_expected"],
        "after_fanout_rss_mb": rss_mb(server.pid),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--fanout-followers", type=int, default=10_000)
    parser.add_argument("--fanout-instances", type=int, default=500)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    swarm = Swarm(50)
    threading.Thread(target=swarm.serve_forever, daemon=True).start()
    try:
        with cara_fed_server({"screening": {"classifier": "off"}}) as server:
            time.sleep(2)
            idle = rss_mb(server.pid)
            requests = prepare(f"{server.base}/inbox", swarm, args.activities)
            sent = asyncio.run(run(f"{server.base}/inbox", requests, 600.0, 16))["accepted"]
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
            if args.fanout_followers:
                report.update(after_fanout(server, args.fanout_followers, args.fanout_instances))
            report["peak_rss_mb"] = rss_mb(server.pid, "VmHWM")
    finally:
        swarm.shutdown()
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "memory",
            "Memory (bench/memory.py)",
            "RSS of `cara-fed serve` (cloak off; no model loaded by these requests): idle, "
            "after the ingested activities, after one post fanned out to "
            f"{report.get('fanout_followers', 0)} followers on "
            f"{report.get('fanout_instances', 0)} instances (bench/fanout.py), and the peak.\n"
            "Target: idle ≤ 120 MB before any model is loaded.",
            report,
        )


if __name__ == "__main__":
    main()
