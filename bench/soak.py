"""Mixed-load soak: what followers feel, minute by minute. Prints one JSON line.

Accepting is not handling: an inbox can answer 202 far faster than its worker puts posts in
timelines. Each minute this records accepted/s (202s), refused/s (429/503 with and without
`Retry-After`), other errors, handled/s, the backlog, and the delay from the 202 to the
activity being handled (p50/p99), for Creates and Follows apart, and the server's RSS.

The load (all at once, for `--minutes`):
- signed Creates at `--create-connections` (8), each addressed to the artist (in `cc` and a
  Mention in `tag`), so every server under test keeps them; the senders are `--senders`
  remote actors on `--instances` fake servers on loopback (bench/fanout.py's FakeInstances);
- signed Follows of the artist at `--follows-per-second` from new remote actors, each answered
  by an Accept the fake servers check;
- signed GETs of the artist and its posts at `--get-connections` (4), and HTML pages (the
  portfolio and a work) at `--page-connections` (1);
- a post by the artist every `--post-every` seconds, run as `cara-fed post` (another process
  writing the same database), fanned out to `--followers` (300) on the fake servers.
Requests are signed in a separate process, ahead of time, so the client's RSA cost does not
stall its event loop; it still shares this machine with the server.

Handled activities are read from the server's database each minute: for cara-fed,
`inbound_activities` (state, received_at, processed_at). `--stream` sends only the Creates,
to compare with another server: give its inbox, the mentioned actor and an SQL count of the
posts it stored (`--handled-db`, `--handled-sql`); its backlog is then accepted − handled.

With `--drain`, after the load stops it waits until the backlog is empty and checks that
every activity answered 202 is handled (nothing acknowledged lost).

    python bench/soak.py --minutes 10 [--set inbox.backlog_bound_seconds=60] [--results]
    python bench/soak.py --stream --minutes 3 --inbox URL --mention ACTOR_URL \\
        --handled-db PATH --handled-sql "SELECT count(*) FROM statuses WHERE local = 0"
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import AS_JSON, FakeInstances, discover_target, follow_activity, progress
from bench.ingest import percentile
from bench.results import write_report
from bench.server import (
    add_common_options,
    cara_fed_server,
    rss_mb,
    with_overrides,
    write_test_image,
)
from federation.digest import digest_header
from federation.signatures.cavage import sign_headers

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
Signed = tuple[str, bytes, dict[str, str]]  # (activity id, body, headers)


def sign_batch(pem: str, inbox: str, docs: list[dict[str, Any]]) -> list[Signed]:
    """Run in the signing process: one signed POST per activity."""
    now = datetime.now(UTC)
    out = []
    for doc in docs:
        body = json.dumps(doc).encode()
        headers = sign_headers(
            method="POST",
            url=inbox,
            headers={"content-type": AS_JSON, "digest": digest_header(body)},
            key_id=f"{doc['actor']}#main-key",
            private_key_pem=pem,
            now=now,
        )
        out.append((doc["id"], body, headers))
    return out


def sign_get(pem: str, key_id: str, url: str) -> dict[str, str]:
    return sign_headers(
        method="GET",
        url=url,
        headers={"accept": AS_JSON},
        key_id=key_id,
        private_key_pem=pem,
        now=datetime.now(UTC),
    )


def addressed_create(actor: str, mention: str, handle: str) -> dict[str, Any]:
    note_id = f"{actor}/statuses/{uuid.uuid4().int % 10**15}"
    published = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    note = {
        "id": note_id,
        "type": "Note",
        "attributedTo": actor,
        "content": f"<p>{handle} a soak post</p>",
        "to": [AS_PUBLIC],
        "cc": [f"{actor}/followers", mention],
        "tag": [{"type": "Mention", "href": mention, "name": handle}],
        "published": published,
    }
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "published": published,
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    }


class SignedStream:
    """Signed requests made ahead in another process, handed out in order."""

    def __init__(
        self, pool: concurrent.futures.Executor, pem: str, inbox: str, make: Callable[[], dict]
    ) -> None:
        self._pool, self._pem, self._inbox, self._make = pool, pem, inbox, make
        self._ready: asyncio.Queue[Signed] = asyncio.Queue(maxsize=3000)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._produce())

    async def _produce(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            docs = [self._make() for _ in range(100)]
            batch = await loop.run_in_executor(self._pool, sign_batch, self._pem, self._inbox, docs)
            for item in batch:
                await self._ready.put(item)

    async def next(self) -> Signed:
        return await self._ready.get()

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


@dataclass
class Tally:
    """What the client saw, since the last minute's sample (reset each minute)."""

    accepted: dict[str, int] = field(default_factory=dict)  # by kind
    refused: int = 0  # 429/503 with Retry-After
    refused_without_retry_after: int = 0
    server_errors: int = 0  # other 5xx
    other: dict[str, int] = field(default_factory=dict)
    gets_ok: int = 0
    pages_ok: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # by request kind

    def timed(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


@dataclass
class Run:
    tally: Tally = field(default_factory=Tally)
    acknowledged: dict[str, str] = field(default_factory=dict)  # activity id → kind, every 202
    posts: list[dict[str, Any]] = field(default_factory=list)
    refusals: int = 0
    refusals_without_retry_after: int = 0
    retry_after_values: set[str] = field(default_factory=set)


async def post_stream(
    client: aiohttp.ClientSession, url: str, stream: SignedStream, kind: str, run: Run,
    deadline: float, pace: float = 0.0,
) -> None:  # fmt: skip
    while time.monotonic() < deadline:
        activity_id, body, headers = await stream.next()
        started = time.monotonic()
        try:
            async with client.post(url, data=body, headers=headers) as response:
                await response.read()
                status, retry_after = response.status, response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError) as exc:
            name = type(exc).__name__
            run.tally.other[name] = run.tally.other.get(name, 0) + 1
            continue
        run.tally.timed(f"POST {kind}", time.monotonic() - started)
        if status == 202:
            run.tally.accepted[kind] = run.tally.accepted.get(kind, 0) + 1
            run.acknowledged[activity_id] = kind
        elif status in (429, 503) and retry_after:
            run.tally.refused += 1
            run.refusals += 1
            run.retry_after_values.add(retry_after)
        elif status in (429, 503):
            run.tally.refused_without_retry_after += 1
            run.refusals_without_retry_after += 1
        elif status >= 500:
            run.tally.server_errors += 1
        else:
            run.tally.other[str(status)] = run.tally.other.get(str(status), 0) + 1
        if pace:
            await asyncio.sleep(max(0.0, pace - (time.monotonic() - started)))


async def get_loop(
    client: aiohttp.ClientSession, urls: list[tuple[str, dict[str, str]]], run: Run,
    deadline: float, page: bool,
) -> None:  # fmt: skip
    turn = 0
    while time.monotonic() < deadline:
        url, headers = urls[turn % len(urls)]
        turn += 1
        started = time.monotonic()
        try:
            async with client.get(url, headers=headers) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            status = type(exc).__name__
        run.tally.timed("page" if page else "signed GET", time.monotonic() - started)
        if status == 200:
            if page:
                run.tally.pages_ok += 1
            else:
                run.tally.gets_ok += 1
        elif isinstance(status, int) and status >= 500:
            run.tally.server_errors += 1
        else:
            run.tally.other[f"GET {status}"] = run.tally.other.get(f"GET {status}", 0) + 1


async def post_every(
    command: str, every: float, instances: FakeInstances, run: Run, deadline: float
) -> None:
    """The artist posts from the CLI every `every` seconds; each post's fan-out is timed."""
    while time.monotonic() + every < deadline:
        await asyncio.sleep(every)
        tally = instances.tally
        tally.expected = instances.delivery_inboxes()
        tally.arrivals = {}
        instances.all_arrived.clear()
        tally.post_started = started = time.monotonic()
        process = await asyncio.create_subprocess_shell(
            command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await process.communicate()
        entry: dict[str, Any] = {"command_s": round(time.monotonic() - started, 1)}
        if process.returncode:
            entry["error"] = stderr.decode(errors="replace")[-300:]
        else:
            try:
                await asyncio.wait_for(instances.all_arrived.wait(), max(1.0, every - 5))
            except TimeoutError:
                pass
            arrivals = sorted(tally.arrivals.values())
            entry |= {
                "inboxes": f"{len(arrivals)}/{len(tally.expected)}",
                "last_arrival_s": round(arrivals[-1], 1) if arrivals else None,
            }
        run.posts.append(entry)


class Handled:
    """How many activities the server has handled, its backlog, and the 202→handled delays,
    read from its database (read-only; WAL lets us read while it writes)."""

    def __init__(self, database: Path, sql: str | None) -> None:
        self._db = database
        self._sql = sql
        self._since = "0000"

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self._db}?mode=ro", uri=True, timeout=30)

    def sample(self) -> dict[str, Any]:
        with self._connect() as db:
            if self._sql:
                return {"handled_total": db.execute(self._sql).fetchone()[0]}
            handled, backlog = db.execute(
                "SELECT sum(state != 'pending'), sum(state = 'pending') FROM inbound_activities"
            ).fetchone()
            [deliveries] = db.execute(
                "SELECT count(*) FROM deliveries WHERE state = 'pending'"
            ).fetchone()
            rows = db.execute(
                "SELECT kind, processed_at,"
                " (julianday(processed_at) - julianday(received_at)) * 86400"
                " FROM inbound_activities WHERE processed_at > ? ORDER BY processed_at",
                (self._since,),
            ).fetchall()
        if rows:
            self._since = rows[-1][1]
        delays: dict[str, list[float]] = {}
        for kind, _, seconds in rows:
            delays.setdefault(kind, []).append(seconds)
        out: dict[str, Any] = {
            "handled_total": handled or 0,
            "backlog": backlog or 0,
            "deliveries_pending": deliveries,
        }
        for kind in ("Create", "Follow"):
            values = sorted(delays.get(kind, []))
            out[f"{kind.lower()}_delay_p50_s"] = (
                round(percentile(values, 0.5), 2) if values else None
            )
            out[f"{kind.lower()}_delay_p99_s"] = (
                round(percentile(values, 0.99), 2) if values else None
            )
        return out

    def unhandled(self, ids: list[str]) -> list[str]:
        """Of `ids`, those not stored or not handled (done or failed)."""
        missing = []
        with self._connect() as db:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = {
                    uri
                    for (uri,) in db.execute(
                        f"SELECT uri FROM inbound_activities WHERE uri IN ({marks})"
                        " AND state != 'pending'",
                        chunk,
                    )
                }
                missing += [uri for uri in chunk if uri not in found]
        return missing


def process_tree_rss(pid: int | None) -> float | None:
    """RSS of the server and its child processes (a worker it started), in MB."""
    if pid is None:
        return None
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
        return round(sum(rss_mb(p) for p in pids), 1)
    except (OSError, RuntimeError):  # gone, or a zombie (no VmRSS)
        return None


async def sample_minutes(
    run: Run, handled: Handled, pid: int | None, minute: float, deadline: float,
    minutes: list[dict[str, Any]],
) -> None:  # fmt: skip
    previous = await asyncio.to_thread(handled.sample)
    run.tally = Tally()
    accepted_total = 0
    started = mark = time.monotonic()
    while mark < deadline - 1:
        # On a fixed schedule, each row divided by the time it really covered: sampling a
        # large table takes a while, and dividing by `minute` understated the last row.
        due = min(started + (len(minutes) + 1) * minute, deadline)
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        now = await asyncio.to_thread(handled.sample)
        tally, run.tally = run.tally, Tally()
        elapsed, mark = time.monotonic() - mark, time.monotonic()
        accepted = sum(tally.accepted.values())
        accepted_total += accepted
        row: dict[str, Any] = {
            "minute": len(minutes) + 1,
            "accepted_per_s": round(accepted / elapsed, 1),
            "creates_per_s": round(tally.accepted.get("Create", 0) / elapsed, 1),
            "follows_per_s": round(tally.accepted.get("Follow", 0) / elapsed, 1),
            "handled_per_s": round((now["handled_total"] - previous["handled_total"]) / elapsed, 1),
            "backlog": now.get("backlog", accepted_total - now["handled_total"]),
            "refused_retry_after": tally.refused,
            "refused_without_retry_after": tally.refused_without_retry_after,
            "5xx": tally.server_errors,
            "gets_per_s": round(tally.gets_ok / elapsed, 1),
            "pages_per_s": round(tally.pages_ok / elapsed, 1),
            "rss_mb": process_tree_rss(pid),
        }
        row |= {k: v for k, v in now.items() if "delay" in k or k == "deliveries_pending"}
        row["request_p99_ms"] = {
            kind: round(percentile(sorted(values), 0.99) * 1000, 1)
            for kind, values in sorted(tally.latencies.items())
        }
        if tally.other:
            row["other"] = tally.other
        minutes.append(row)
        progress(json.dumps(row))
        previous = now
    progress(f"load ran {time.monotonic() - started:.0f} s")


@dataclass
class Target:
    inbox: str
    mention: str
    handle: str
    actor_doc_url: str | None = None  # for signed GETs
    pages: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)


async def soak(args: argparse.Namespace, target: Target, handled: Handled,
               pid: int | None, post_command: str | None) -> dict[str, Any]:  # fmt: skip
    senders = args.senders
    instances = FakeInstances(
        senders + args.followers + args.follows_capacity,
        args.instances,
        shared_inbox=True,
        slow_instances=args.slow_instances,
        slow_seconds=args.slow_seconds,
    )
    await instances.start()
    run = Run()
    minutes: list[dict[str, Any]] = []
    pool = concurrent.futures.ProcessPoolExecutor(1)
    try:
        if not args.stream:
            async with httpx.AsyncClient(timeout=30) as client:
                instances.target = await discover_target(client, target.mention, None)
            await setup_followers(instances, target, senders, args.followers)
        counter = {"create": 0, "follow": senders + args.followers}

        def next_create() -> dict[str, Any]:
            counter["create"] += 1
            actor = instances.actor_uri(counter["create"] % senders)
            return addressed_create(actor, target.mention, target.handle)

        def next_follow() -> dict[str, Any]:
            index = counter["follow"]
            counter["follow"] = min(index + 1, instances.count - 1)
            return follow_activity(instances, index, instances.target)

        creates = SignedStream(pool, instances.private_pem, target.inbox, next_create)
        creates.start()
        follows = SignedStream(pool, instances.private_pem, target.inbox, next_follow)
        if not args.stream:
            follows.start()
        await asyncio.sleep(3)  # a head start for the signer
        deadline = time.monotonic() + args.minutes * args.minute
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
            tasks = [
                post_stream(client, target.inbox, creates, "Create", run, deadline)
                for _ in range(args.create_connections)
            ]
            tasks.append(sample_minutes(run, handled, pid, args.minute, deadline, minutes))
            if not args.stream:
                if args.follows_per_second:
                    pace = 1 / args.follows_per_second
                    tasks.append(
                        post_stream(client, target.inbox, follows, "Follow", run, deadline, pace)
                    )
                key_id = f"{instances.actor_uri(0)}#main-key"
                gets = [
                    (url, sign_get(instances.private_pem, key_id, url))
                    for url in [target.mention, *target.posts]
                ]
                tasks += [
                    get_loop(client, gets, run, deadline, False)
                    for _ in range(args.get_connections)
                ]
                pages = [(url, {"accept": "text/html"}) for url in target.pages]
                tasks += [
                    get_loop(client, pages, run, deadline, True)
                    for _ in range(args.page_connections)
                ]
                if post_command and args.post_every:
                    tasks.append(
                        post_every(post_command, args.post_every, instances, run, deadline)
                    )
            await asyncio.gather(*tasks)
        creates.stop()
        follows.stop()
        drained = await drain(run, handled, args.drain) if args.drain else None
    finally:
        pool.shutdown(cancel_futures=True)
        await instances.close()
    return summarize(args, minutes, run, drained)


async def setup_followers(instances: FakeInstances, target: Target, first: int, count: int) -> None:
    """`count` followers (indices first…first+count-1), each Follow accepted before the load."""
    docs = [follow_activity(instances, i, instances.target) for i in range(first, first + count)]
    signed = sign_batch(instances.private_pem, target.inbox, docs)
    wanted = set(range(first, first + count))
    async with httpx.AsyncClient(timeout=60) as client:
        for start in range(0, len(signed), 16):
            await asyncio.gather(
                *(
                    client.post(target.inbox, content=body, headers=headers)
                    for _, body, headers in signed[start : start + 16]
                )
            )
    for _ in range(600):  # up to 300 s
        if wanted <= instances.tally.accepted:
            break
        await asyncio.sleep(0.5)
    got = len(wanted & instances.tally.accepted)
    if got < count:
        raise RuntimeError(f"only {got} of {count} follows were accepted")
    progress(f"{count} followers on {len(instances.addresses)} servers")


async def drain(run: Run, handled: Handled, limit: float) -> dict[str, Any]:
    """Wait until nothing is pending, then check every acknowledged activity was handled."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        sample = await asyncio.to_thread(handled.sample)
        if sample.get("backlog", 1) == 0:
            break
        await asyncio.sleep(2)
    missing = await asyncio.to_thread(handled.unhandled, list(run.acknowledged))
    return {
        "drain_s": round(time.monotonic() - started, 1),
        "acknowledged": len(run.acknowledged),
        "acknowledged_not_handled": len(missing),
    }


def summarize(
    args: argparse.Namespace, minutes: list[dict[str, Any]], run: Run, drained: dict | None
) -> dict[str, Any]:
    def mean(key: str) -> float | None:
        values = [m[key] for m in minutes if m.get(key) is not None]
        return round(sum(values) / len(values), 1) if values else None

    def worst(key: str) -> float | None:
        values = [m[key] for m in minutes if m.get(key) is not None]
        return max(values) if values else None

    return {
        "bench": "soak-stream" if args.stream else "soak",
        "minutes": len(minutes),
        "minute_s": args.minute,
        "create_connections": args.create_connections,
        "mean_accepted_per_s": mean("accepted_per_s"),
        "mean_handled_per_s": mean("handled_per_s"),
        "final_backlog": minutes[-1]["backlog"] if minutes else None,
        "max_backlog": worst("backlog"),
        "worst_create_delay_p99_s": worst("create_delay_p99_s"),
        "worst_follow_delay_p99_s": worst("follow_delay_p99_s"),
        "5xx": sum(m["5xx"] for m in minutes),
        "refused_with_retry_after": run.refusals,
        "refused_without_retry_after": run.refusals_without_retry_after,
        "retry_after_values": sorted(run.retry_after_values),
        "posts": run.posts,
        "drain": drained,
        "by_minute": minutes,
    }


def self_started(args: argparse.Namespace) -> dict[str, Any]:
    settings = with_overrides({"screening": {"classifier": "off"}}, args.set)
    with cara_fed_server(settings) as server:
        server.run("user", "add", "artist")
        image = write_test_image(server.root / "post.png")
        post = server.shell_command(
            "post", "artist", "--image", str(image), "--alt", "a grey gradient",
            "--text", "a post during the soak", "--no-cloak",
        )  # fmt: skip
        works = seed_works(server, image, 5)
        host = server.base.removeprefix("http://")
        target = Target(
            inbox=f"{server.actor_url('artist')}/inbox"
            if args.personal_inbox
            else f"{server.base}/inbox",
            mention=server.actor_url("artist"),
            handle=f"@artist@{host}",
            pages=[f"{server.base}/@artist", *(f"{server.base}/@artist/{w}" for w in works[:2])],
            posts=[f"{server.actor_url('artist')}/statuses/{w}" for w in works],
        )
        handled = Handled(server.database, None)
        report = asyncio.run(soak(args, target, handled, server.pid, post))
    return {**report, "server": "cara-fed (self-started)", "settings": settings}


def seed_works(server: Any, image: Path, count: int) -> list[str]:
    """A few works by the artist, so that there is something to GET and render."""
    for number in range(count):
        server.run(
            "post", "artist", "--image", str(image), "--alt", "a grey gradient",
            "--text", f"work {number}", "--no-cloak",
        )  # fmt: skip
    with sqlite3.connect(server.database) as db:
        rows = db.execute("SELECT id FROM posts WHERE local = 1 ORDER BY id").fetchall()
    return [str(row[0]) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--minute", type=float, default=60.0, help="seconds per row")
    parser.add_argument("--create-connections", type=int, default=8)
    parser.add_argument("--get-connections", type=int, default=4)
    parser.add_argument("--page-connections", type=int, default=1)
    parser.add_argument("--follows-per-second", type=float, default=2.0)
    parser.add_argument("--follows-capacity", type=int, default=5000)
    parser.add_argument("--followers", type=int, default=300)
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--post-every", type=float, default=60.0)
    parser.add_argument(
        "--slow-instances", type=int, default=0, help="this many fake servers answer slowly"
    )
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--drain", type=float, default=0.0, help="wait up to this many seconds")
    parser.add_argument("--stream", action="store_true", help="only the addressed Creates")
    parser.add_argument(
        "--personal-inbox", action="store_true", help="POST to the artist's inbox, not /inbox"
    )
    parser.add_argument("--inbox", help="another server's inbox (with --stream)")
    parser.add_argument("--mention", help="the actor the Creates are addressed to")
    parser.add_argument("--handle", help="its handle, @name@host")
    parser.add_argument("--handled-db", type=Path, help="that server's SQLite database")
    parser.add_argument("--handled-sql", help="SQL counting what it has handled")
    parser.add_argument("--pid", type=int, help="that server's process, for its RSS")
    parser.add_argument("--label", default="", help="a name for this run in RESULTS.md")
    add_common_options(parser)
    args = parser.parse_args()
    if args.inbox:
        if not (args.stream and args.mention and args.handled_db and args.handled_sql):
            parser.error("--inbox needs --stream, --mention, --handled-db and --handled-sql")
        handle = args.handle or f"@{args.mention.rsplit('/', 1)[1]}@{args.mention.split('/')[2]}"
        target = Target(inbox=args.inbox, mention=args.mention, handle=handle)
        report = asyncio.run(
            soak(args, target, Handled(args.handled_db, args.handled_sql), args.pid, None)
        )
        report["server"] = args.inbox
    else:
        report = self_started(args)
    report["label"] = args.label
    print(json.dumps(report), flush=True)
    if args.results:
        name = (
            "soak" + ("-stream" if args.stream else "") + (f"-{args.label}" if args.label else "")
        )
        write_report(name, f"Soak (bench/soak.py) {args.label}", __doc__.split("\n\n")[0], report)


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()
