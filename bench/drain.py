"""How fast one worker process drains a backlog, and what each activity costs it. One JSON line.

The backlog is what a busy inbox leaves: `--activities` stored Creates, each addressed to the
artist (so each is kept and put in a timeline), from `--senders` remote actors already known
(as they are once they have talked to us: no key fetch), and a share of Follows. It is written
straight into the database of a fresh instance, then `cara-fed worker` is started alone and
timed until nothing is pending: activities/s, and the worker's CPU ms per activity, from
/proc. Nothing else runs, so this is the worker's ceiling; bench/soak.py shows it under load.

    python bench/drain.py [--activities 5000] [--senders 200] [--set section.key=value]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import write_report
from bench.server import (
    BASE_SETTINGS,
    REPO,
    add_common_options,
    child_env,
    config_text,
    cpu_seconds,
    free_port,
    merged,
    with_overrides,
)
from bench.soak import addressed_create
from federation.keys import generate_rsa_keypair


async def seed(config_path: Path, activities: int, senders: int, follow_share: float) -> None:
    from cara_fed.config import load_config
    from cara_fed.services import accounts
    from cara_fed.store.db import database
    from cara_fed.store.models import Actor, InboundActivity

    config = load_config(config_path)
    _, public = generate_rsa_keypair()
    now = datetime.now(UTC)
    async with database(config, create_schema=True):
        await accounts.ensure_instance_actor(config)
        artist = await Actor.get(local=True, username="artist")
        origin = "http://127.0.0.9:9"
        await Actor.bulk_create(
            [
                Actor(
                    uri=f"{origin}/users/s{i}",
                    username=f"s{i}",
                    domain="127.0.0.9:9",
                    inbox=f"{origin}/users/s{i}/inbox",
                    shared_inbox=f"{origin}/inbox",
                    followers_url=f"{origin}/users/s{i}/followers",
                    key_id=f"{origin}/users/s{i}#main-key",
                    public_key_pem=public,
                    fetched_at=now,
                )
                for i in range(senders)
            ]
        )
        handle = f"@artist@{config.base_url.split('//', 1)[1]}"
        rows = []
        every = round(1 / follow_share) if follow_share else 0
        for n in range(activities):
            actor = f"{origin}/users/s{n % senders}"
            if every and n % every == 0:
                doc = {
                    "@context": "https://www.w3.org/ns/activitystreams",
                    "id": f"{actor}/follows/{n}",
                    "type": "Follow",
                    "actor": actor,
                    "object": artist.uri,
                }
            else:
                doc = addressed_create(actor, artist.uri, handle)
            rows.append(
                InboundActivity(
                    uri=doc["id"],
                    kind=doc["type"],
                    actor_uri=actor,
                    body=doc,
                    next_attempt_at=now,
                )
            )
        await InboundActivity.bulk_create(rows, batch_size=1000)


def pending(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(
            "SELECT count(*) FROM inbound_activities WHERE state = 'pending'"
        ).fetchone()[0]


def run(args: argparse.Namespace) -> dict[str, Any]:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="cara-fed-drain-"))
    port = free_port()
    settings = with_overrides(merged(BASE_SETTINGS, {"screening": {"classifier": "off"}}), args.set)
    config = root / "instance.toml"
    config.write_text(config_text(port, settings))
    command = [sys.executable, "-m", "cara_fed", "--config", str(config)]
    subprocess.run([*command, "init"], cwd=REPO, env=child_env(), check=True, capture_output=True)
    subprocess.run(
        [*command, "user", "add", "artist"],
        cwd=REPO,
        env=child_env(),
        check=True,
        capture_output=True,
    )
    asyncio.run(seed(config, args.activities, args.senders, args.follow_share))
    database = root / "data" / "cara-fed.sqlite3"
    with (root / "worker.log").open("wb") as log:
        started = time.monotonic()
        worker = subprocess.Popen([*command, "worker"], cwd=REPO, env=child_env(), stdout=log,
                                  stderr=log)  # fmt: skip
        try:
            while pending(database) and time.monotonic() - started < args.timeout:
                time.sleep(0.2)
            seconds = time.monotonic() - started
            cpu = cpu_seconds(worker.pid)
        finally:
            worker.terminate()
            worker.wait(30)
    with sqlite3.connect(database) as db:
        states = dict(db.execute("SELECT state, count(*) FROM inbound_activities GROUP BY state"))
        posts = db.execute("SELECT count(*) FROM posts WHERE local = 0").fetchone()[0]
    shutil.rmtree(root, ignore_errors=True)
    return {
        "bench": "drain",
        "activities": args.activities,
        "senders": args.senders,
        "seconds": round(seconds, 1),
        "handled_per_s": round(args.activities / seconds, 1),
        "worker_cpu_s": round(cpu, 1),
        "cpu_ms_per_activity": round(cpu * 1000 / args.activities, 2),
        "states": states,
        "remote_posts_stored": posts,
        "settings": settings,
        "note": "seconds include the worker's start (about 1 s)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--follow-share", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=600.0)
    add_common_options(parser)
    args = parser.parse_args()
    report = run(args)
    print(json.dumps(report), flush=True)
    if args.results:
        write_report("drain", "Worker drain (bench/drain.py)", __doc__.split("\n\n")[0], report)


if __name__ == "__main__":
    main()
