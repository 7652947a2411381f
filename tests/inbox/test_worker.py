"""The inbound queue's mechanics on a real SQLite file: rows are claimed several at a time,
and rows still waiting when half their lease has gone are handed back, not left to expire
while claimed. The handler here is a stand-in that only moves the clock (the real handlers
have their own tests); what is under test is the worker around it."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from cara_fed.clock import FixedClock
from cara_fed.config import DeliverySection
from cara_fed.store.domain_blocks import BlockList
from cara_fed.store.models import InboundActivity
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
    return InboundWorker(ctx, DeliverySection(lease_seconds=60.0))  # type: ignore[arg-type]


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
