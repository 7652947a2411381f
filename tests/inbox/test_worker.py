"""The inbound queue's mechanics on a real SQLite file: rows are claimed several at a time,
and rows still waiting when half their lease has gone are handed back, not left to expire
while claimed. The handler here is a stand-in that only moves the clock (the real handlers
have their own tests); what is under test is the worker around it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace

from cara_fed.config import InboundSection
from cara_fed.store.domain_blocks import BlockList
from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import claim_due, finish_all
from federation.clock import FixedClock
from inbox import worker as worker_module
from inbox.worker import InboundWorker

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def queue(count: int) -> None:
    for n in range(count):
        uri = f"https://peer.example/activities/{n}"
        await InboundActivity.create(
            uri=uri,
            kind="Like",
            actor_uri="https://peer.example/users/a",
            body={
                "id": uri,
                "type": "Like",
                "actor": "https://peer.example/users/a",
                "object": uri,
            },
            next_attempt_at=NOW,
        )


def worker_with(handler, clock: FixedClock, monkeypatch) -> InboundWorker:
    monkeypatch.setitem(worker_module.HANDLERS, "Like", handler)
    ctx = SimpleNamespace(clock=clock, blocks=BlockList())
    return InboundWorker(ctx, InboundSection(lease_seconds=60.0))  # type: ignore[arg-type]


async def test_a_backlog_is_handled_in_claims_of_several(database, monkeypatch):
    clock = FixedClock(NOW)
    handled: list[str] = []

    async def handle(activity, ctx) -> None:
        handled.append(activity.id)

    await queue(40)
    worker = worker_with(handle, clock, monkeypatch)
    assert await worker.run_once(batch=32) == 32
    assert await worker.run_once(batch=32) == 8
    assert len(handled) == len(set(handled)) == 40
    assert await InboundActivity.filter(state="done", attempts=1).count() == 40


async def test_rows_still_waiting_at_half_their_lease_are_handed_back(database, monkeypatch):
    clock = FixedClock(NOW)

    async def slow(activity, ctx) -> None:
        clock.advance(31)  # each handler takes over half the 60 s lease

    await queue(3)
    worker = worker_with(slow, clock, monkeypatch)
    assert await worker.run_once() == 1
    rows = (
        await InboundActivity.all().order_by("id").values_list("state", "attempts", "lease_until")
    )
    assert rows[0][:2] == ("done", 1)
    # The two not started are free at once, their attempt not counted.
    assert rows[1:] == [("pending", 0, None), ("pending", 0, None)]
    assert await worker.run_once() == 1  # taken up again straight away


async def queue_from(actors: dict[str, int]) -> None:
    for actor, count in actors.items():
        for n in range(count):
            uri = f"https://peer.example/{actor}/activities/{n}"
            await InboundActivity.create(
                uri=uri, kind="Like", actor_uri=f"https://peer.example/users/{actor}",
                body={"id": uri, "type": "Like", "actor": f"https://peer.example/users/{actor}",
                      "object": uri},
                next_attempt_at=NOW,
            )  # fmt: skip


async def test_senders_are_handled_side_by_side_and_each_in_its_own_order(database, monkeypatch):
    """a's first activity cannot finish until b's has started: handled one after the other,
    this would time out. Each sender's activities still run in the order they came."""
    clock = FixedClock(NOW)
    started: dict[str, asyncio.Event] = {"a": asyncio.Event(), "b": asyncio.Event()}
    order: list[str] = []

    async def handle(activity, ctx) -> None:
        sender = activity.actor.rsplit("/", 1)[1]
        started[sender].set()
        other = "b" if sender == "a" else "a"
        await asyncio.wait_for(started[other].wait(), 5)
        order.append(activity.id)

    await queue_from({"a": 3, "b": 3})
    worker = worker_with(handle, clock, monkeypatch)
    assert await worker.run_once() == 6
    for sender in ("a", "b"):
        mine = [uri for uri in order if f"/{sender}/" in uri]
        assert mine == [f"https://peer.example/{sender}/activities/{n}" for n in range(3)]
    assert await InboundActivity.filter(state="done").count() == 6


async def test_a_row_taken_over_by_another_worker_keeps_that_workers_outcome(database):
    await queue(3)
    rows = await claim_due(InboundActivity, now=NOW, lease_seconds=60, limit=3)
    # Our lease ran out and another worker took row 0 and finished it its own way.
    await InboundActivity.filter(id=rows[0].id).update(lease_until=None, state="failed")
    kept = await finish_all(InboundActivity, rows, state="done", processed_at=NOW)
    assert kept == 2
    states = await InboundActivity.all().order_by("id").values_list("state", flat=True)
    assert states == ["failed", "done", "done"]


async def test_a_claim_leases_only_rows_no_one_else_holds(database):
    await queue(4)
    first = await claim_due(InboundActivity, now=NOW, lease_seconds=60, limit=2)
    second = await claim_due(InboundActivity, now=NOW, lease_seconds=60, limit=4)
    assert {r.id for r in first}.isdisjoint({r.id for r in second})
    assert len(first) == 2 and len(second) == 2
    assert await claim_due(InboundActivity, now=NOW, lease_seconds=60, limit=4) == []
    assert all(r.attempts == 1 and r.lease_until is not None for r in first + second)
