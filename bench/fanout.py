"""Outbound fan-out: how long one post takes to reach F followers spread over D instances, and
what it costs the sender. Prints one JSON line.

The D instances are fake, served by this script on loopback: instance i is the host
127.0.x.y:PORT (all of 127/8 is loopback on Linux), holding followers f<j> with j ≡ i mod D.
Their actor documents have `endpoints.sharedInbox` = the instance's /inbox (`--no-shared-inbox`
leaves it out, so every follower is a delivery of its own). Everything the instances receive is
verified (HTTP signature and Digest, against the sender's key read once from its actor
document) and counted.

Setup (not timed, reported as setup_seconds): each follower sends a signed Follow to the target
actor's inbox and the script waits for every follower's Accept. Then it runs the post command
and times until every shared inbox (or every follower inbox) has the Create: p50/p99 of the
per-inbox arrival, duplicates (an activity received twice at one inbox), retries after a
refusal, signature failures, and, when the sender's pid is known, the CPU seconds of it and
of its child processes (web and worker processes) during the fan-out (/proc/<pid>/stat). The
instances answer 202 at once; `--slow-instances N` makes N of them answer the Create only
after `--slow-seconds`, as a slow peer would.

Against any ActivityPub server that may fetch from loopback and auto-accepts follows:
  python bench/fanout.py --account artist@127.0.0.1:8080 --post-command "..." [--pid PID]
Without a target it starts its own cara-fed from this checkout (bench/server.py), creates an
artist, and posts with `cara-fed post artist --image ... --no-cloak`:
  python bench/fanout.py [--followers 10000] [--instances 500] [--no-shared-inbox]
       [--set delivery.concurrency=16] [--results]
`--results` writes bench/RESULTS.md (section "fanout"; "fanout-personal" without shared
inboxes, "…-slow" with slow instances).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import percentile
from bench.loopback import LoopbackServer, Request, Response, loopback_addresses
from bench.results import write_report
from bench.server import (
    CaraFed,
    add_common_options,
    cara_fed_server,
    tree_cpu_seconds,
    with_overrides,
    write_test_image,
)
from federation.digest import digest_header
from federation.keys import generate_rsa_keypair
from federation.signatures.cavage import ClockWindow, sign_headers
from federation.signatures.errors import SignatureError
from federation.signatures.verify import IncomingRequest, KeyHolder, verify_request

AS_JSON = "application/activity+json"
AS_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]


def progress(message: str) -> None:
    """A line on stderr for the person waiting (stdout carries only the JSON result)."""
    print(f"{time.strftime('%H:%M:%S')} fanout: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """The actor whose post is fanned out, as its actor document says."""

    actor: str
    inbox: str
    key_id: str
    public_key_pem: str


async def discover_target(
    client: httpx.AsyncClient, actor: str | None, account: str | None
) -> Target:
    """The target by its actor URL, or by WebFinger (over http: it is on loopback)."""
    if actor is None:
        assert account is not None
        host = account.split("@")[-1]
        jrd = (
            await client.get(
                f"http://{host}/.well-known/webfinger", params={"resource": f"acct:{account}"}
            )
        ).raise_for_status()
        links = jrd.json().get("links", [])
        actor = next(
            link["href"]
            for link in links
            if link.get("rel") == "self" and "json" in link.get("type", "")
        )
    response = await client.get(actor, headers={"Accept": AS_JSON})
    doc = response.raise_for_status().json()
    key = doc["publicKey"][0] if isinstance(doc["publicKey"], list) else doc["publicKey"]
    return Target(doc["id"], doc["inbox"], key["id"], key["publicKeyPem"])


@dataclass
class Tally:
    """What the fake instances received; arrival times are seconds after the post started."""

    accepted: set[int] = field(default_factory=set)
    expected: set[str] = field(default_factory=set)
    arrivals: dict[str, float] = field(default_factory=dict)
    answered: dict[tuple[str, str], int] = field(default_factory=dict)
    duplicates: int = 0
    retries: int = 0
    unexpected: int = 0
    signature_failures: int = 0
    other_requests: int = 0
    actor_fetches: int = 0
    post_started: float | None = None


class FakeInstances:
    """D fake instances on loopback addresses (one port), F followers spread over them."""

    def __init__(
        self,
        followers: int,
        instances: int,
        *,
        shared_inbox: bool,
        slow_instances: int = 0,
        slow_seconds: float = 0.0,
    ) -> None:
        self.count = followers
        self.addresses = loopback_addresses(instances)
        self.shared_inbox = shared_inbox
        self.slow_addresses = set(self.addresses[:slow_instances])
        self.slow_seconds = slow_seconds
        self.server = LoopbackServer(self.handle, self.addresses)
        self.private_pem, self.public_pem = generate_rsa_keypair()  # one key: same signing cost
        self.target: Target | None = None
        self.tally = Tally()
        self.follow_ids: dict[str, int] = {}
        self.all_accepted = asyncio.Event()
        self.all_arrived = asyncio.Event()

    async def start(self) -> None:
        await self.server.start()

    async def close(self) -> None:
        await self.server.close()

    def host(self, index: int) -> str:
        return f"{self.addresses[index % len(self.addresses)]}:{self.server.port}"

    def actor_uri(self, index: int) -> str:
        return f"http://{self.host(index)}/users/f{index}"

    def delivery_inboxes(self) -> set[str]:
        """Where one post should arrive: each instance with followers once, or each follower."""
        if self.shared_inbox:
            return {f"{self.host(i)}/inbox" for i in range(min(self.count, len(self.addresses)))}
        return {f"{self.host(i)}/users/f{i}/inbox" for i in range(self.count)}

    def follower_at(self, host: str, path: str) -> int | None:
        """The follower whose actor (or personal inbox) `path` is on `host`, if any."""
        parts = path.split("/")
        if len(parts) < 3 or parts[1] != "users" or not parts[2].startswith("f"):
            return None
        number = parts[2][1:]
        if not number.isdigit() or int(number) >= self.count or self.host(int(number)) != host:
            return None
        return int(number)

    def actor_document(self, index: int) -> dict[str, Any]:
        uri = self.actor_uri(index)
        doc: dict[str, Any] = {
            "@context": AS_CONTEXT,
            "id": uri,
            "type": "Person",
            "preferredUsername": f"f{index}",
            "inbox": f"{uri}/inbox",
            "outbox": f"{uri}/outbox",
            "followers": f"{uri}/followers",
            "following": f"{uri}/following",
            "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": self.public_pem},
        }
        if self.shared_inbox:
            doc["endpoints"] = {"sharedInbox": f"http://{self.host(index)}/inbox"}
        return doc

    async def handle(self, request: Request) -> Response:
        if request.method == "GET":
            return self._get(request)
        path = request.path
        follower = self.follower_at(request.host, path)
        personal = follower is not None and path == f"/users/f{follower}/inbox"
        if request.method == "POST" and (personal or (self.shared_inbox and path == "/inbox")):
            return await self._inbox(request)
        self.tally.other_requests += 1
        return Response(404)

    def _get(self, request: Request) -> Response:
        path = request.path
        follower = self.follower_at(request.host, path)
        if follower is not None and path == f"/users/f{follower}":
            self.tally.actor_fetches += 1
            return Response(200, json.dumps(self.actor_document(follower)).encode(), AS_JSON)
        if path == "/.well-known/webfinger":
            return self._webfinger(request)
        self.tally.other_requests += 1
        return Response(404)

    def _webfinger(self, request: Request) -> Response:
        resource = parse_qs(request.target.partition("?")[2]).get("resource", [""])[0]
        name = resource.removeprefix("acct:").split("@")[0]
        follower = self.follower_at(request.host, f"/users/{name}")
        if follower is None:
            return Response(404)
        link = {"rel": "self", "type": AS_JSON, "href": self.actor_uri(follower)}
        doc = {"subject": resource, "links": [link]}
        return Response(200, json.dumps(doc).encode(), "application/jrd+json")

    async def _lookup(self, key_id: str, refresh: bool) -> KeyHolder:
        target = self.target
        if target is None or key_id != target.key_id:
            raise SignatureError(f"not the sender's key: {key_id}")
        return KeyHolder(key_id, target.actor, target.public_key_pem)

    async def _inbox(self, request: Request) -> Response:
        try:
            activity = json.loads(request.body)
            kind, activity_id = activity.get("type"), str(activity.get("id"))
        except (ValueError, AttributeError):
            return Response(400)
        incoming = IncomingRequest(
            "POST", f"http://{request.host}{request.target}", request.headers, request.body
        )
        window = ClockWindow(datetime.now(UTC), max_age_seconds=300, max_skew_seconds=60)
        try:
            holder = await verify_request(incoming, self._lookup, window)
            if holder.owner != activity.get("actor"):
                raise SignatureError("signed by someone other than the activity's actor")
        except SignatureError:
            self.tally.signature_failures += 1
            self._answered(request, activity_id, 401)
            return Response(401)
        if kind == "Accept":
            self._accept(activity, request)
        elif kind == "Create":
            self._create(activity_id, request)
            if request.host.rsplit(":", 1)[0] in self.slow_addresses:
                await asyncio.sleep(self.slow_seconds)  # a peer slow to answer
        return Response(202)

    def _answered(self, request: Request, activity_id: str, status: int) -> int | None:
        """Note the answer to this activity at this inbox; returns the earlier one."""
        if self.tally.post_started is None:
            return None
        key = (f"{request.host}{request.path}", activity_id)
        earlier = self.tally.answered.get(key)
        self.tally.answered[key] = status if earlier != 202 else earlier
        return earlier

    def _accept(self, activity: dict[str, Any], request: Request) -> None:
        follow = activity.get("object")
        follow_id = follow.get("id") if isinstance(follow, dict) else follow
        index = self.follow_ids.get(str(follow_id))
        if index is None:
            index = self.follower_at(request.host, request.path)
        if index is not None:
            self.tally.accepted.add(index)
            if len(self.tally.accepted) == self.count:
                self.all_accepted.set()

    def _create(self, activity_id: str, request: Request) -> None:
        tally = self.tally
        if tally.post_started is None:
            return
        earlier = self._answered(request, activity_id, 202)
        if earlier == 202:
            tally.duplicates += 1
            return
        if earlier is not None:
            tally.retries += 1
        inbox = f"{request.host}{request.path}"
        if inbox not in tally.expected:
            tally.unexpected += 1
            return
        tally.arrivals.setdefault(inbox, request.received - tally.post_started)
        if len(tally.arrivals) == len(tally.expected):
            self.all_arrived.set()


def follow_activity(instances: FakeInstances, index: int, target: Target) -> dict[str, Any]:
    actor = instances.actor_uri(index)
    follow_id = f"{actor}/follows/{uuid.uuid4()}"
    instances.follow_ids[follow_id] = index
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": follow_id,
        "type": "Follow",
        "actor": actor,
        "object": target.actor,
    }


async def send_follows(
    client: httpx.AsyncClient, instances: FakeInstances, target: Target, concurrency: int
) -> dict[str, int]:
    """Every follower's signed Follow to the target's inbox; returns errors by status."""
    errors: dict[str, int] = {}
    pending = iter(range(instances.count))

    async def worker() -> None:
        for index in pending:
            body = json.dumps(follow_activity(instances, index, target)).encode()
            headers = sign_headers(
                method="POST",
                url=target.inbox,
                headers={"content-type": AS_JSON, "digest": digest_header(body)},
                key_id=f"{instances.actor_uri(index)}#main-key",
                private_key_pem=instances.private_pem,
                now=datetime.now(UTC),
            )
            try:
                response = await client.post(target.inbox, content=body, headers=headers)
                status = response.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            if status not in (200, 201, 202):
                errors[str(status)] = errors.get(str(status), 0) + 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return errors


async def setup(
    instances: FakeInstances, target: Target, concurrency: int, limit_seconds: float
) -> dict[str, Any]:
    started = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        errors = await send_follows(client, instances, target, concurrency)
    follows_sent = time.monotonic() - started
    progress(f"{instances.count} Follows sent in {follows_sent:.1f} s; waiting for the Accepts")
    try:
        await asyncio.wait_for(instances.all_accepted.wait(), limit_seconds)
    except TimeoutError:
        pass
    return {
        "setup_seconds": round(time.monotonic() - started, 1),
        "follows_seconds": round(follows_sent, 1),
        "follow_errors": errors,
        "accepts": len(instances.tally.accepted),
    }


async def fan_out(
    instances: FakeInstances,
    post_command: str,
    pid: int | None,
    limit_seconds: float,
    linger: float,
) -> dict[str, Any]:
    """Run the post command and wait until every expected inbox has the Create."""
    tally = instances.tally
    tally.expected = instances.delivery_inboxes()
    cpu_before = tree_cpu_seconds(pid) if pid else None
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    progress(f"{len(instances.tally.accepted)} follows accepted; posting")
    tally.post_started = started = time.monotonic()
    process = await asyncio.create_subprocess_shell(
        post_command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await process.communicate()
    post_seconds = time.monotonic() - started
    if process.returncode:
        raise RuntimeError(f"the post command failed: {stderr.decode(errors='replace')[-500:]}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        await asyncio.wait_for(instances.all_arrived.wait(), max(0.0, limit_seconds - post_seconds))
    except TimeoutError:
        pass
    cpu = tree_cpu_seconds(pid) - cpu_before if pid and cpu_before is not None else None
    progress(f"{len(tally.arrivals)} of {len(tally.expected)} inboxes have the Create")
    await asyncio.sleep(linger)  # late duplicates
    arrivals = sorted(tally.arrivals.values())
    received = len(arrivals)
    complete = received == len(tally.expected)
    return {
        "deliveries_expected": len(tally.expected),
        "deliveries_received": received,
        "complete": complete,
        "seconds_to_full_delivery": round(arrivals[-1], 2) if complete else None,
        "post_command_seconds": round(post_seconds, 2),
        "post_command_cpu_s": round(
            children.ru_utime
            + children.ru_stime
            - children_before.ru_utime
            - children_before.ru_stime,
            2,
        ),
        "first_arrival_s": round(arrivals[0], 2) if arrivals else None,
        "p50_arrival_s": round(percentile(arrivals, 0.50), 2),
        "p99_arrival_s": round(percentile(arrivals, 0.99), 2),
        "duplicates": tally.duplicates,
        "retries_after_refusal": tally.retries,
        "unexpected_inbox": tally.unexpected,
        "signature_failures": tally.signature_failures,
        "sender_cpu_s": round(cpu, 2) if cpu is not None else None,
        "cpu_ms_per_delivery": round(cpu * 1000 / received, 2) if cpu and received else None,
    }


@dataclass(frozen=True)
class Plan:
    """The shape of one run."""

    followers: int = 10_000
    instances: int = 500
    shared_inbox: bool = True
    setup_concurrency: int = 16
    slow_instances: int = 0
    slow_seconds: float = 2.0
    limit_seconds: float = 600.0  # for the fan-out
    setup_limit_seconds: float = 3600.0
    linger: float = 2.0  # after the last arrival, for late duplicates

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Plan:
        return cls(
            followers=args.followers,
            instances=args.instances,
            shared_inbox=args.shared_inbox,
            setup_concurrency=args.setup_concurrency,
            slow_instances=args.slow_instances,
            slow_seconds=args.slow_seconds,
            limit_seconds=args.timeout,
        )


async def run(
    actor: str | None, account: str | None, post_command: str, pid: int | None, plan: Plan
) -> dict[str, Any]:
    """Set up the followers of `actor` (or `account`), run `post_command`, time the fan-out."""
    swarm = FakeInstances(
        plan.followers,
        plan.instances,
        shared_inbox=plan.shared_inbox,
        slow_instances=plan.slow_instances,
        slow_seconds=plan.slow_seconds,
    )
    await swarm.start()
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            swarm.target = await discover_target(client, actor, account)
        prepared = await setup(
            swarm, swarm.target, plan.setup_concurrency, plan.setup_limit_seconds
        )
        if prepared["accepts"] < plan.followers:
            raise RuntimeError(
                f"only {prepared['accepts']} of {plan.followers} follows were accepted"
            )
        result = await fan_out(swarm, post_command, pid, plan.limit_seconds, plan.linger)
    finally:
        await swarm.close()
    return {
        "bench": "fanout",
        "actor": swarm.target.actor,
        "followers": plan.followers,
        "instances": plan.instances,
        "shared_inbox": plan.shared_inbox,
        "slow_instances": plan.slow_instances,
        "slow_seconds": plan.slow_seconds if plan.slow_instances else None,
        **prepared,
        **result,
        "actor_fetches": swarm.tally.actor_fetches,
        "other_requests": swarm.tally.other_requests,
    }


def artist_and_post_command(server: CaraFed) -> str:
    """Make the account `artist` and return the command that publishes one post of it."""
    server.run("user", "add", "artist")
    image = write_test_image(server.root / "post.png")
    return server.shell_command(
        "post", "artist", "--image", str(image), "--alt", "a grey gradient",
        "--text", "one post, fanned out", "--no-cloak",
    )  # fmt: skip


def self_started(args: argparse.Namespace) -> dict[str, Any]:
    """Against a cara-fed from this checkout, started for this run."""
    settings = with_overrides({"screening": {"classifier": "off"}}, args.set)
    with cara_fed_server(settings) as server:
        post = artist_and_post_command(server)
        report = asyncio.run(
            run(server.actor_url("artist"), None, post, server.pid, Plan.from_args(args))
        )
    return {**report, "server": "cara-fed (self-started)", "settings": settings}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--actor", help="the posting actor's URL")
    target.add_argument("--account", help="the posting actor as name@host (WebFinger)")
    parser.add_argument("--post-command", help="shell command that publishes one post")
    parser.add_argument("--pid", type=int, help="the sender's process, for its CPU time")
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--instances", type=int, default=500)
    parser.add_argument("--no-shared-inbox", dest="shared_inbox", action="store_false")
    parser.add_argument("--setup-concurrency", type=int, default=16)
    parser.add_argument(
        "--slow-instances",
        type=int,
        default=0,
        help="this many instances answer the Create only after --slow-seconds",
    )
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=600.0, help="for the fan-out")
    add_common_options(parser)
    args = parser.parse_args()
    if args.actor or args.account:
        if not args.post_command:
            parser.error("--post-command is needed with --actor or --account")
        report = asyncio.run(
            run(args.actor, args.account, args.post_command, args.pid, Plan.from_args(args))
        )
    else:
        report = self_started(args)
    print(json.dumps(report), flush=True)
    if args.results:
        write_results(report)


def write_results(report: dict[str, Any]) -> None:
    shared, slow = report["shared_inbox"], report["slow_instances"]
    options = ("" if shared else ", --no-shared-inbox") + (
        f", --slow-instances {slow} --slow-seconds {report['slow_seconds']}" if slow else ""
    )
    write_report(
        "fanout" + ("" if shared else "-personal") + ("-slow" if slow else ""),
        f"Fan-out (bench/fanout.py{options})",
        f"One post from `{report['actor']}` to {report['followers']} followers on "
        f"{report['instances']} fake instances on loopback"
        + (" (shared inboxes)" if shared else " (personal inboxes only)")
        + f"; {report.get('server', 'an external server')}, the fake instances in the same "
        "machine. Timed from the post command to the last inbox's Create; setup (the "
        "Follows and their Accepts) not timed. Target: 10,000 followers on 500 instances "
        "in ≤ 60 s.",
        report,
    )


if __name__ == "__main__":
    main()
