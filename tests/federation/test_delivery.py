"""The delivery queue on a real SQLite file, with a clock the test moves, against a real
HTTP server on loopback that answers as a peer would."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cara_fed.config import DeliverySection, load_config
from cara_fed.services.accounts import create_account, ensure_instance_actor
from cara_fed.store.db import close_database, open_database
from cara_fed.store.models import Delivery, DomainHealth
from cara_fed.store.queue import claim_due, finish
from federation.clock import FixedClock
from federation.delivery import DeliveryWorker
from federation.digest import check_digest
from federation.http_client import GuardedClient
from federation.outbox import emit

RECEIVED: list[tuple[str, dict[str, str], bytes]] = []


class Peer(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        RECEIVED.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        status = {"/ok": 202, "/gone": 410, "/flaky": 503}.get(self.path.split("?")[0], 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def peer() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Peer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
async def local_actor(tmp_path: Path):
    (tmp_path / "instance.toml").write_text('[instance]\nurl = "https://art.example"\n')
    config = load_config(tmp_path / "instance.toml")
    await open_database(config, create_schema=True)
    await ensure_instance_actor(config)
    actor = await create_account(config, "bob")
    yield actor
    await close_database()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


@pytest.fixture
async def worker(clock):
    client = GuardedClient(allow_private=True, user_agent="test", timeout=5)
    # One peer (one domain) stands for many here: no cap per domain but the pool's own.
    settings = replace(
        DeliverySection(),
        domain_failure_threshold=3,
        domain_unavailable_seconds=600,
        per_domain_concurrency=DeliverySection().concurrency,
    )
    yield DeliveryWorker(client, clock, settings, "test")
    await client.aclose()


async def queue(actor, inboxes: list[str], clock) -> None:
    body = {
        "id": f"https://art.example/activities/{len(RECEIVED)}-{inboxes[0]}",
        "type": "Create",
        "actor": actor.uri,
        "object": {"type": "Note"},
    }
    await emit(actor, body, inboxes, clock, public=True)


def test_the_default_schedule_retries_for_about_two_days():
    settings = DeliverySection()
    waits = [settings.retry.delay(n).total_seconds() for n in range(1, settings.max_attempts)]
    assert waits[0] == 30 and waits == sorted(waits)
    assert 40 * 3600 < sum(waits) < 56 * 3600


async def test_a_delivery_is_signed_and_carries_a_matching_digest(local_actor, worker, peer, clock):
    RECEIVED.clear()
    await queue(local_actor, [f"{peer}/ok"], clock)
    assert await worker.run_once() == 1
    [(_, headers, body)] = RECEIVED
    check_digest(headers["digest"], body)
    assert 'keyId="https://art.example/users/bob#main-key"' in headers["signature"]
    assert headers["content-type"] == "application/activity+json"
    [row] = await Delivery.all()
    assert (row.state, row.attempts, row.last_status) == ("done", 1, 202)


async def test_shared_inboxes_are_deduplicated(local_actor, clock):
    await queue(local_actor, ["https://p.example/inbox"] * 3 + ["https://q.example/inbox"], clock)
    assert await Delivery.all().count() == 2


async def test_failures_back_off_on_the_clock(local_actor, worker, peer, clock):
    await queue(local_actor, [f"{peer}/flaky"], clock)
    assert await worker.run_once() == 1
    [row] = await Delivery.all()
    assert (row.state, row.attempts, row.last_status) == ("pending", 1, 503)
    assert (row.next_attempt_at - clock.now()).total_seconds() == 30
    assert await worker.run_once() == 0  # not due yet
    clock.advance(30)
    assert await worker.run_once() == 1
    await row.refresh_from_db()
    assert row.attempts == 2
    assert (row.next_attempt_at - clock.now()).total_seconds() == 60


async def test_a_permanent_refusal_is_not_retried(local_actor, worker, peer, clock):
    await queue(local_actor, [f"{peer}/gone"], clock)
    await worker.run_once()
    [row] = await Delivery.all()
    assert (row.state, row.last_status) == ("dead", 410)
    clock.advance(10**6)
    assert await worker.run_once() == 0


async def test_the_last_attempt_marks_the_delivery_dead(local_actor, worker, peer, clock):
    await queue(local_actor, [f"{peer}/flaky"], clock)
    for _ in range(DeliverySection().max_attempts):
        await DomainHealth.all().delete()  # isolate the attempt count from domain backoff
        assert await worker.run_once() == 1
        clock.advance(DeliverySection().retry_max_delay_seconds)
    [row] = await Delivery.all()
    assert row.state == "dead" and row.attempts == DeliverySection().max_attempts


async def test_a_failing_domain_is_skipped_for_a_while(local_actor, worker, peer, clock):
    for n in range(3):
        await queue(local_actor, [f"{peer}/flaky?{n}"], clock)
    assert await worker.run_once() == 3
    [health] = await DomainHealth.all()
    assert health.consecutive_failures == 3
    assert (health.unavailable_until - clock.now()).total_seconds() == 600
    clock.advance(120)  # retries are due, but the domain is marked unavailable
    assert await worker.run_once() == 0
    clock.advance(600)
    assert await worker.run_once() == 3


async def test_a_leased_row_is_not_claimed_twice_until_its_lease_expires(local_actor, clock):
    await queue(local_actor, ["https://p.example/inbox"], clock)
    first = await claim_due(Delivery, now=clock.now(), lease_seconds=60, limit=10)
    assert len(first) == 1
    assert await claim_due(Delivery, now=clock.now(), lease_seconds=60, limit=10) == []
    clock.advance(61)  # the holder died (kill -9): the row comes back
    assert len(await claim_due(Delivery, now=clock.now(), lease_seconds=60, limit=10)) == 1


async def test_an_attempt_counts_when_claimed_and_a_late_outcome_does_not_overwrite(
    local_actor, clock
):
    """A worker whose lease expired mid-send (slow peer, paused process) must not undo the
    outcome of the worker that took the row over."""
    await queue(local_actor, ["https://p.example/inbox"], clock)
    [slow] = await claim_due(Delivery, now=clock.now(), lease_seconds=60, limit=1)
    assert slow.attempts == 1
    clock.advance(61)
    [fast] = await claim_due(Delivery, now=clock.now(), lease_seconds=60, limit=1)
    assert fast.attempts == 2
    assert await finish(Delivery, fast, state="done")
    assert not await finish(Delivery, slow, state="pending", last_error="timeout")
    [row] = await Delivery.all()
    assert (row.state, row.last_error, row.lease_until) == ("done", None, None)


async def test_a_worker_claims_no_more_than_it_sends_at_once(local_actor, worker, peer, clock):
    inboxes = [f"{peer}/ok?{n}" for n in range(DeliverySection().concurrency + 3)]
    await queue(local_actor, inboxes, clock)
    assert await worker.run_once() == DeliverySection().concurrency
    leased = await Delivery.filter(lease_until__not_isnull=True).count()
    assert leased == 0  # every claimed row was finished; the rest were never leased
    assert await worker.run_once() == 3


async def test_one_domain_gets_no_more_than_its_share_of_the_slots(local_actor, peer, clock):
    """The rows over the domain's share go back untouched: not leased, no attempt counted."""
    client = GuardedClient(allow_private=True, user_agent="test", timeout=5)
    capped = DeliveryWorker(client, clock, DeliverySection(), "test")
    await queue(local_actor, [f"{peer}/ok?capped{n}" for n in range(6)], clock)
    assert await capped.run_once() == DeliverySection().per_domain_concurrency == 2
    waiting = await Delivery.filter(state="pending").values_list("attempts", "lease_until")
    assert waiting == [(0, None)] * 4
    assert await capped.run_once() == 2
    await client.aclose()


async def test_a_slow_peer_holds_only_its_own_slot(local_actor, peer, clock):
    """A peer that does not answer keeps its send; every slot that frees is refilled at
    once, so the other servers get everything before it answers (before: a batch of eight
    waited for its slowest send)."""
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            release.wait(10)
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    slow = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    client = GuardedClient(allow_private=True, user_agent="test", timeout=5)
    pool = DeliveryWorker(client, clock, DeliverySection(), "test")
    ended = asyncio.Event()
    pool.on_done = ended.set
    await queue(local_actor, [f"http://127.0.0.1:{slow.server_address[1]}/inbox"], clock)
    await queue(local_actor, [f"{peer}/ok?pool{n}" for n in range(12)], clock)
    try:
        await pool.fill()
        async with asyncio.timeout(5):
            while await Delivery.filter(state="done").count() < 12:
                ended.clear()
                await pool.fill()
                await ended.wait()
        [(state, inbox)] = await Delivery.exclude(state="done").values_list("state", "inbox")
        assert state == "pending" and inbox.endswith("/inbox") and pool.sending == 1
    finally:
        release.set()
        await pool.drain()
        slow.shutdown()
        await client.aclose()
    assert await Delivery.filter(state="done").count() == 13


async def test_a_stopping_worker_gives_back_the_sends_still_on_their_way(local_actor, clock):
    """Stopping does not wait out a peer that does not answer: its row goes back to the
    queue unleased, its attempt uncounted, to be sent by the next worker."""
    hold = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            hold.wait(10)

    silent = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    threading.Thread(target=silent.serve_forever, daemon=True).start()
    client = GuardedClient(allow_private=True, user_agent="test", timeout=5)
    pool = DeliveryWorker(client, clock, DeliverySection(), "test")
    await queue(local_actor, [f"http://127.0.0.1:{silent.server_address[1]}/inbox"], clock)
    try:
        assert await pool.fill() == 1
        async with asyncio.timeout(3):
            await pool.stop(grace_seconds=0.3)
        [row] = await Delivery.all()
        assert (row.state, row.lease_until, row.attempts) == ("pending", None, 0)
        assert pool.sending == 0
    finally:
        hold.set()
        silent.shutdown()
        await client.aclose()
