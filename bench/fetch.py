"""Signed reads: GETs of actor documents and posts as ActivityStreams (`Accept:
application/activity+json`), each signed by a fake actor this script serves on loopback
(bench/ingest.py's Swarm, whose key the server fetches once), at a fixed concurrency for a
fixed time. Prints one JSON line: req/s, p50/p95/p99 latency, errors by status, and the same
per kind (actor, post).

Post URLs are given, or read from the actor's outbox (signed too). Signatures are made per URL
and per second (a Date has one-second resolution, so within a second a new signature would be
byte-identical): the client's RSA cost stays off the shared CPU.

Against any ActivityPub server that may fetch from loopback:
  python bench/fetch.py --actor http://127.0.0.1:8080/users/artist [--post URL ...]
       [--seconds 20] [--concurrency 16]
Without --actor it starts its own cara-fed from this checkout (bench/server.py) with
`[federation] authorized_fetch = true`, so every post read is verified, and makes an artist
with --posts posts (`cara-fed post ... --no-cloak`). `--results` writes bench/RESULTS.md
(section "fetch").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from activitypub.vocab import AS_ACCEPT
from bench.ingest import Swarm, percentile
from bench.load import run_workers, timed
from bench.results import write_report
from bench.server import add_common_options, cara_fed_server, with_overrides, write_test_image
from federation.signatures.cavage import sign_headers


class Signer:
    """Signs GETs as the swarm's first actor, once per URL and second."""

    def __init__(self, swarm: Swarm) -> None:
        self._swarm = swarm
        self._key_id = f"{swarm.actor_uri(swarm.names[0])}#main-key"
        self._second: datetime | None = None
        self._signed: dict[str, dict[str, str]] = {}

    def headers(self, url: str) -> dict[str, str]:
        now = datetime.now(UTC).replace(microsecond=0)
        if now != self._second:
            self._second, self._signed = now, {}
        if url not in self._signed:
            self._signed[url] = sign_headers(
                method="GET",
                url=url,
                headers={"accept": AS_ACCEPT},
                key_id=self._key_id,
                private_key_pem=self._swarm.private_pem,
                now=now,
            )
        return self._signed[url]


async def get_json(client: httpx.AsyncClient, signer: Signer, url: str) -> dict[str, Any]:
    response = await client.get(url, headers=signer.headers(url))
    return response.raise_for_status().json()


def object_ids(page: dict[str, Any]) -> list[str]:
    """The ids of the objects of a collection page's items (Creates unwrapped)."""
    ids = []
    for item in page.get("orderedItems") or page.get("items") or []:
        if isinstance(item, dict) and item.get("type") == "Create":
            item = item.get("object")
        ref = item.get("id") if isinstance(item, dict) else item
        if isinstance(ref, str):
            ids.append(ref)
    return ids


async def discover_posts(
    client: httpx.AsyncClient, signer: Signer, actor: str, limit: int
) -> list[str]:
    """Up to `limit` post URLs from the first page of the actor's outbox."""
    outbox = await get_json(client, signer, (await get_json(client, signer, actor))["outbox"])
    first = outbox.get("first")
    page = await get_json(client, signer, first) if isinstance(first, str) else first or outbox
    return object_ids(page)[:limit]


def summary(latencies: list[float], errors: dict[str, int], seconds: float) -> dict[str, Any]:
    latencies.sort()
    return {
        "ok": len(latencies),
        "ok_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "errors": errors,
    }


async def run(
    targets: list[tuple[str, str]], swarm: Swarm, seconds: float, concurrency: int
) -> dict[str, Any]:
    """GET (kind, url) `targets` round-robin until `seconds` have passed."""
    signer = Signer(swarm)
    latencies: dict[str, list[float]] = {kind: [] for kind, _ in targets}
    errors: dict[str, dict[str, int]] = {kind: {} for kind, _ in targets}
    deadline = time.monotonic() + seconds
    counter = 0

    async def worker(client: aiohttp.ClientSession) -> None:
        nonlocal counter
        while time.monotonic() < deadline:
            kind, url = targets[counter % len(targets)]
            counter += 1
            status, elapsed = await timed(client, "GET", url, headers=signer.headers(url))
            if status == "200":
                latencies[kind].append(elapsed)
            else:
                errors[kind][status] = errors[kind].get(status, 0) + 1

    elapsed = await run_workers(worker, concurrency)
    everything = [x for values in latencies.values() for x in values]
    all_errors: dict[str, int] = {}
    for by_status in errors.values():
        for status, n in by_status.items():
            all_errors[status] = all_errors.get(status, 0) + n
    return {
        "bench": "fetch",
        "actors": sum(kind == "actor" for kind, _ in targets),
        "posts": sum(kind == "post" for kind, _ in targets),
        "concurrency": concurrency,
        "seconds": round(elapsed, 1),
        "requests": len(everything) + sum(all_errors.values()),
        "req_per_s": round((len(everything) + sum(all_errors.values())) / elapsed, 1),
        **summary(everything, all_errors, elapsed),
        "by_kind": {kind: summary(latencies[kind], errors[kind], elapsed) for kind in latencies},
        "key_fetches": swarm.fetches,
    }


async def prepare(
    swarm: Swarm, actors: list[str], posts: list[str], max_posts: int
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The (kind, url) list, and whether an unsigned read of a post is refused (it should be
    with authorized fetch)."""
    signer = Signer(swarm)
    async with httpx.AsyncClient(timeout=30) as client:
        if not posts:
            for actor in actors:
                posts += await discover_posts(client, signer, actor, max_posts)
        checks = {}
        if posts:
            unsigned = await client.get(posts[0], headers={"Accept": AS_ACCEPT})
            checks["unsigned_post_status"] = unsigned.status_code
    targets = [("actor", url) for url in actors] + [("post", url) for url in posts]
    return targets, checks


def measure(
    actors: list[str], posts: list[str], seconds: float, concurrency: int, max_posts: int
) -> dict[str, Any]:
    swarm = Swarm(1)
    threading.Thread(target=swarm.serve_forever, daemon=True).start()
    try:
        targets, checks = asyncio.run(prepare(swarm, actors, posts, max_posts))
        report = asyncio.run(run(targets, swarm, seconds, concurrency))
    finally:
        swarm.shutdown()
    return {**report, **checks}


def self_started(args: argparse.Namespace) -> dict[str, Any]:
    settings = with_overrides(
        {"federation": {"authorized_fetch": True}, "screening": {"classifier": "off"}}, args.set
    )
    with cara_fed_server(settings) as server:
        server.run("user", "add", "artist")
        image = write_test_image(server.root / "post.png")
        for number in range(args.posts):
            server.run(
                "post", "artist", "--image", str(image), "--alt", "a grey gradient",
                "--text", f"post number {number}", "--no-cloak",
            )  # fmt: skip
        report = measure(
            [server.actor_url("artist")], [], args.seconds, args.concurrency, args.posts
        )
    return {**report, "server": "cara-fed (self-started)", "settings": settings}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actor", action="append", default=[], help="actor URL (repeatable)")
    parser.add_argument("--post", action="append", default=[], help="post URL (repeatable)")
    parser.add_argument("--max-posts", type=int, default=20, help="read from the outbox")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--posts", type=int, default=5, help="posts the self-started artist makes")
    add_common_options(parser)
    args = parser.parse_args()
    if args.actor or args.post:
        report = measure(args.actor, args.post, args.seconds, args.concurrency, args.max_posts)
    else:
        report = self_started(args)
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "fetch",
            "Signed fetches (bench/fetch.py)",
            f"Signed GETs (`Accept: application/activity+json`) of {report['actors']} actor "
            f"document(s) and {report['posts']} post(s), round-robin, {report['concurrency']} "
            f"connections, {report['seconds']} s, the client on the same machine; "
            + report.get("server", "an external server")
            + ". Post reads are signature-checked when the server runs authorized fetch.",
            report,
        )


if __name__ == "__main__":
    main()
