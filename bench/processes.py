"""Scale-out in one sitting: ingest (bench/ingest.py) with 1, 2 and 4 web processes on
PostgreSQL, and fan-out (bench/fanout.py) with 1, 2 and 4 worker processes on PostgreSQL,
each against one process on the embedded SQLite, rounds alternating so that the machine's
noise falls on every configuration alike. Prints each run's figures and the medians as
ratios to SQLite; `--results` writes bench/RESULTS.md (section "processes").

Every configuration is a fresh cara-fed from this checkout (PostgreSQL: a fresh database on
127.0.0.1:5432, dropped after). The load generators run on the same machine as the server:
on two cores, more processes compete with them and with each other for the same CPU.

Run: python bench/processes.py [--rounds 2] [--ingest-seconds 12] [--followers 1000]
       [--instances 100] [--results]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import write_report

HERE = Path(__file__).resolve().parent
SQLITE: list[str] = []
POSTGRES = ["--set", "database.url=postgres:fresh"]


def configs(kind: str) -> dict[str, list[str]]:
    """Name -> --set options. Ingest scales web processes (one worker beside them); fan-out
    scales worker processes."""
    if kind == "ingest":
        base = ["--set", "server.worker_processes=1"]
        return {
            "sqlite, 1 web": [*SQLITE, *base],
            **{
                f"postgres, {n} web": [*POSTGRES, *base, "--set", f"server.web_processes={n}"]
                for n in (1, 2, 4)
            },
        }
    return {
        "sqlite, 1 worker": [*SQLITE, "--set", "server.worker_processes=1"],
        **{
            f"postgres, {n} workers": [*POSTGRES, "--set", f"server.worker_processes={n}"]
            for n in (1, 2, 4)
        },
    }


def run(script: str, args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--ingest-seconds", type=float, default=12.0)
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    ingest_args = ["--seconds", str(args.ingest_seconds), "--prepare", "20000"]
    fanout_args = [
        "--followers", str(args.followers), "--instances", str(args.instances),
        "--no-shared-inbox",
    ]  # fmt: skip
    runs: dict[str, list[dict]] = {}
    for round_number in range(args.rounds):
        for name, options in configs("ingest").items():
            result = run("ingest.py", [*ingest_args, *options])
            runs.setdefault(f"ingest: {name}", []).append(
                {k: result[k] for k in ("accepted_per_s", "p50_ms", "p99_ms", "errors")}
            )
            print(round_number, "ingest", name, runs[f"ingest: {name}"][-1], flush=True)
        for name, options in configs("fanout").items():
            result = run("fanout.py", [*fanout_args, *options])
            keys = ("seconds_to_full_delivery", "p99_arrival_s", "sender_cpu_s", "complete")
            runs.setdefault(f"fanout: {name}", []).append({k: result.get(k) for k in keys})
            print(round_number, "fanout", name, runs[f"fanout: {name}"][-1], flush=True)
    summary = summarise(runs)
    print(json.dumps(summary, indent=2))
    if args.results:
        write_report(
            "processes",
            "Scale-out: processes on PostgreSQL against one process on SQLite (bench/processes.py)",
            f"{args.rounds} alternated rounds. Ingest: signed Creates, 16 connections, "
            f"{args.ingest_seconds:g} s, one worker process beside N web processes. Fan-out: "
            f"one post to {args.followers} followers on {args.instances} instances without "
            "shared inboxes (a signed delivery per follower), N worker processes. Load "
            "generators on the same 2-core machine.",
            {"medians": summary, "runs": runs},
        )


def summarise(runs: dict[str, list[dict]]) -> dict:
    out = {}
    ingest_base = statistics.median(r["accepted_per_s"] for r in runs["ingest: sqlite, 1 web"])
    fanout_base = statistics.median(
        r["seconds_to_full_delivery"] for r in runs["fanout: sqlite, 1 worker"]
    )
    for name, results in runs.items():
        if name.startswith("ingest"):
            rate = statistics.median(r["accepted_per_s"] for r in results)
            out[name] = {
                "accepted_per_s": rate,
                "p99_ms": statistics.median(r["p99_ms"] for r in results),
                "ratio_to_sqlite": round(rate / ingest_base, 2),
            }
        else:
            seconds = statistics.median(r["seconds_to_full_delivery"] for r in results)
            out[name] = {
                "seconds_to_full_delivery": seconds,
                "sender_cpu_s": statistics.median(r["sender_cpu_s"] or 0 for r in results),
                "time_ratio_to_sqlite": round(seconds / fanout_base, 2),
            }
    return out


if __name__ == "__main__":
    main()
