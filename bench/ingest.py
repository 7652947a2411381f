"""Inbound load: signed `Create` activities from N fake remote actors to one inbox, for a fixed
time. Prints one JSON line: accepted/s, latency percentiles, errors by status.

The fake actors live on small HTTP servers this script runs on loopback, `--domains` of
them on their own ports (so as many domains, as a burst from many servers): their actor
documents, keys and WebFinger answers are real, so a strict server (one that fetches and
checks every new remote actor) can verify every request. Point it at any ActivityPub server
that may fetch from loopback (for cara-fed: `[federation] allow_private_addresses = true`).

Run: python bench/ingest.py [--inbox http://127.0.0.1:8080/inbox] [--actors 50]
       [--domains 10] [--seconds 20] [--concurrency 16] [--addressed] [--results]
Without --inbox it starts its own cara-fed from this checkout (bench/server.py).
`--addressed` addresses every Create to a user of the server as well (in `cc` and a `Mention`)
and posts to that user's personal inbox: `--inbox` must then be `http://HOST/users/NAME/inbox`,
or the self-started cara-fed gets a user `artist`. Compare servers this way: GoToSocial and
Mastodon drop (after answering 202) a Create nobody on them follows or is mentioned in.
`--results` writes the figures into bench/RESULTS.md (section "ingest").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.server
import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import run_workers, timed
from bench.results import write_report
from bench.server import cara_fed_server, with_overrides
from federation.digest import digest_header
from federation.keys import generate_rsa_keypair
from federation.signatures.cavage import sign_headers

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


class Swarm(http.server.ThreadingHTTPServer):
    """Serves /users/<n>, their keys and WebFinger for the fake actors."""

    daemon_threads = True

    def __init__(self, actors: int, first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _SwarmHandler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        private, public = generate_rsa_keypair()  # one key for all: signing cost is the same
        self.private_pem, self.public_pem = private, public
        self.names = [f"bench{i}" for i in range(first, first + actors)]
        self.fetches = 0

    def actor_uri(self, name: str) -> str:
        return f"{self.origin}/users/{name}"

    def actor_document(self, name: str) -> dict:
        uri = self.actor_uri(name)
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": uri,
            "type": "Person",
            "preferredUsername": name,
            "inbox": f"{uri}/inbox",
            "outbox": f"{uri}/outbox",
            "followers": f"{uri}/followers",
            "following": f"{uri}/following",
            "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": self.public_pem},
        }


class _SwarmHandler(http.server.BaseHTTPRequestHandler):
    server: Swarm

    def do_GET(self) -> None:
        self.server.fetches += 1
        parts = urlsplit(self.path)
        if parts.path.startswith("/users/"):
            name = parts.path.split("/")[2]
            if name in self.server.names:
                return self._json(self.server.actor_document(name), "application/activity+json")
        if parts.path == "/.well-known/webfinger":
            resource = parse_qs(parts.query).get("resource", [""])[0]
            name = resource.removeprefix("acct:").split("@")[0]
            if name in self.server.names:
                href = self.server.actor_uri(name)
                return self._json(
                    {
                        "subject": resource,
                        "links": [
                            {"rel": "self", "type": "application/activity+json", "href": href}
                        ],
                    },
                    "application/jrd+json",
                )
        self.send_response(404)
        self.end_headers()

    def _json(self, doc: dict, content_type: str) -> None:
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def swarms(actors: int, domains: int) -> list[Swarm]:
    """The actors spread over `domains` servers, each on its own port and so its own domain
    (host:port), serving in the background: a burst comes from many servers, and a server's
    limits per domain (cara-fed's queued-per-domain) see each one's share, not all of it."""
    per = -(-actors // domains)
    sites = [Swarm(min(per, actors - first), first) for first in range(0, actors, per)]
    for site in sites:
        threading.Thread(target=site.serve_forever, daemon=True).start()
    return sites


@dataclass(frozen=True)
class Mention:
    """The receiving user a Create is addressed to: its actor URL and handle (@name@host)."""

    actor: str
    handle: str

    @classmethod
    def of_inbox(cls, inbox: str) -> Mention:
        """`http://HOST/users/NAME/inbox` → that user (as cara-fed, GoToSocial and Mastodon
        name their actors)."""
        parts = urlsplit(inbox)
        segments = parts.path.strip("/").split("/")
        if len(segments) != 3 or segments[0] != "users" or segments[2] != "inbox":
            raise SystemExit(f"--addressed needs a personal inbox, /users/NAME/inbox: {inbox}")
        actor = f"{parts.scheme}://{parts.netloc}/users/{segments[1]}"
        return cls(actor, f"@{segments[1]}@{parts.netloc}")


def create_activity(swarm: Swarm, name: str, mention: Mention | None = None) -> dict:
    actor = swarm.actor_uri(name)
    note_id = f"{actor}/statuses/{uuid.uuid4().int % 10**15}"
    cc = [f"{actor}/followers"] + ([mention.actor] if mention else [])
    note = {
        "id": note_id,
        "type": "Note",
        "attributedTo": actor,
        "content": f"<p>{mention.handle + ' ' if mention else ''}a benchmark post</p>",
        "to": [AS_PUBLIC],
        "cc": cc,
        "published": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if mention:
        note["tag"] = [{"type": "Mention", "href": mention.actor, "name": mention.handle}]
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "to": [AS_PUBLIC],
        "cc": cc,
        "object": note,
    }


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return sorted_values[index]


def signed_request(
    inbox: str, swarm: Swarm, name: str, mention: Mention | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(create_activity(swarm, name, mention)).encode()
    headers = sign_headers(
        method="POST",
        url=inbox,
        headers={"content-type": "application/activity+json", "digest": digest_header(body)},
        key_id=f"{swarm.actor_uri(name)}#main-key",
        private_key_pem=swarm.private_pem,
        now=datetime.now(UTC),
    )
    return body, headers


def prepare(
    inbox: str, swarm: Swarm | list[Swarm], count: int, mention: Mention | None = None
) -> list[tuple[bytes, dict[str, str]]]:
    """Sign every request before the clock starts: an RSA signature costs the client about as
    much CPU as the server spends accepting the activity, and both share this machine. The
    senders take turns, across all the servers."""
    senders = [(site, name) for site in ([swarm] if isinstance(swarm, Swarm) else swarm)
               for name in site.names]  # fmt: skip
    return [signed_request(inbox, *senders[i % len(senders)], mention) for i in range(count)]


async def run(
    inbox: str, requests: list[tuple[bytes, dict[str, str]]], seconds: float, concurrency: int
) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    queue = iter(requests)

    async def worker(client: aiohttp.ClientSession) -> None:
        for body, headers in queue:
            if time.monotonic() >= deadline:
                return
            status, elapsed = await timed(client, "POST", inbox, data=body, headers=headers)
            if status in ("200", "201", "202"):
                latencies.append(elapsed)
            else:
                errors[status] = errors.get(status, 0) + 1

    elapsed = await run_workers(worker, concurrency)
    latencies.sort()
    return {
        "bench": "ingest",
        "inbox": inbox,
        "concurrency": concurrency,
        "seconds": round(elapsed, 1),
        "accepted": len(latencies),
        "accepted_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "errors": errors,
        "ran_out_of_requests": len(latencies) + sum(errors.values()) >= len(requests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--inbox", help="the inbox URL to POST to (default: a cara-fed started from this checkout)"
    )
    parser.add_argument("--actors", type=int, default=50)
    parser.add_argument(
        "--domains", type=int, default=10, help="servers the actors are spread over (ports)"
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--prepare",
        type=int,
        default=40_000,
        help="requests signed before the run (its cap: a 503 costs the server little, so the "
        "client goes through them fast; the JSON says if it ran out)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="config of the self-started cara-fed (repeatable; database.url=postgres:fresh)",
    )
    parser.add_argument(
        "--addressed", action="store_true", help="address each Create to a user, personal inbox"
    )
    parser.add_argument("--results", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    sites = swarms(args.actors, args.domains)
    try:
        with contextlib.ExitStack() as stack:
            inbox = args.inbox
            if inbox is None:
                server = stack.enter_context(cara_fed_server(with_overrides({}, args.set)))
                inbox = f"{server.base}/inbox"
                if args.addressed:
                    server.run("user", "add", "artist")
                    inbox = f"{server.actor_url('artist')}/inbox"
            mention = Mention.of_inbox(inbox) if args.addressed else None
            requests = prepare(inbox, sites, args.prepare, mention)
            result = asyncio.run(run(inbox, requests, args.seconds, args.concurrency))
            result |= {
                "addressed_to": mention.actor if mention else None,
                "actors": sum(len(site.names) for site in sites),
                "domains": len(sites),
                "actor_fetches": sum(site.fetches for site in sites),
            }
    finally:
        for site in sites:
            site.shutdown()
    print(json.dumps(result), flush=True)
    if args.results:
        write_report(
            "ingest",
            "Ingest (bench/ingest.py)",
            f"Signed Creates from {result['actors']} fake actors to `{result['inbox']}`"
            f"{'' if args.inbox else ' (cara-fed started from this checkout)'}, "
            f"{result['concurrency']} connections, {result['seconds']} s, the client "
            "on the same machine. Target: ≥ 300 accepted/s at p99 ≤ 100 ms.",
            result,
        )


if __name__ == "__main__":
    main()
