"""Handled inbound activities are forgotten after the configured days, once an hour; pending
ones never, however old; recent ones are kept so a redelivery is still recognised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from cara_fed.store import inbound_pruning
from cara_fed.store.inbound_pruning import prune_handled
from cara_fed.store.models import InboundActivity
from cara_fed.worker import prune_when_due
from federation.clock import FixedClock

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


async def row(name: str, state: str, days_ago: float) -> None:
    made = await InboundActivity.create(
        uri=f"https://peer.example/{name}", kind="Like", actor_uri="https://peer.example/u",
        body={"id": name}, next_attempt_at=NOW, state=state,
    )  # fmt: skip
    await InboundActivity.filter(id=made.id).update(received_at=NOW - timedelta(days=days_ago))


async def names() -> set[str]:
    uris = await InboundActivity.all().values_list("uri", flat=True)
    return {uri.rsplit("/", 1)[1] for uri in uris}


async def test_old_handled_rows_go_and_the_rest_stay(database):
    await row("old-done", "done", 8)
    await row("old-failed", "failed", 30)
    await row("old-pending", "pending", 30)  # waiting for a retry: never pruned
    await row("recent-done", "done", 6)
    assert await prune_handled(NOW, keep_days=7) == 2
    assert await names() == {"old-pending", "recent-done"}


async def test_pruning_goes_in_batches(database, monkeypatch):
    monkeypatch.setattr(inbound_pruning, "BATCH", 3)
    for n in range(7):
        await row(f"r{n}", "done", 10)
    assert await prune_handled(NOW, keep_days=7) == 7
    assert await names() == set()


async def test_the_worker_prunes_once_an_hour_and_not_when_told_to_keep(database):
    clock = FixedClock(NOW)
    instance = SimpleNamespace(
        clock=clock, config=SimpleNamespace(federation=SimpleNamespace(keep_inbound_days=7.0))
    )
    await row("a", "done", 8)
    due = await prune_when_due(instance, NOW)
    assert due == NOW + timedelta(hours=1) and await names() == set()
    await row("b", "done", 8)
    clock.advance(60)
    assert await prune_when_due(instance, due) == due  # not yet an hour
    assert await names() == {"b"}
    clock.advance(3600)
    await prune_when_due(instance, due)
    assert await names() == set()
    instance.config.federation.keep_inbound_days = 0.0
    await row("c", "done", 800)
    clock.advance(7200)
    await prune_when_due(instance, clock.now())
    assert await names() == {"c"}
