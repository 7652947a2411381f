"""Per-sender limits on a real SQLite file: the queued counts come from the database, grouped
by actor and summed by domain, and what this process stores counts until the next sample; the
POST rates are token buckets per actor and per domain. Time is a stand-in clock here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import pending_by_actor
from federation.clock import FixedClock
from inbox.sender_limits import LimitSettings, SenderLimits, TokenBuckets

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
OFF = {"actor_rate": 0.0, "domain_rate": 0.0}


async def queue(actor: str, count: int, state: str = "pending") -> None:
    for _ in range(count):
        n = await InboundActivity.all().count()
        uri = f"{actor}/activities/{n}"
        await InboundActivity.create(
            uri=uri, kind="Like", actor_uri=actor, state=state,
            body={"id": uri, "type": "Like", "actor": actor, "object": uri},
            next_attempt_at=NOW + timedelta(minutes=n % 2),  # due, or waiting for a retry
        )  # fmt: skip


def limits(clock, **settings) -> SenderLimits:
    return SenderLimits(
        lambda now: pending_by_actor(InboundActivity, now), clock, LimitSettings(**settings)
    )


async def test_an_actor_over_its_queue_is_refused_and_others_are_not(database):
    await queue("https://a.example/users/one", 3)
    await queue("https://a.example/users/two", 1)
    await queue("https://a.example/users/one", 5, state="done")  # handled: not counted
    check = limits(FixedClock(NOW), queued_per_actor=3, queued_per_domain=100, **OFF)
    over = await check.check("https://a.example/users/one")
    assert over is not None and "3 activities from https://a.example/users/one" in over.message
    assert 5 <= over.retry_after <= 300
    assert await check.check("https://a.example/users/two") is None


async def test_a_domain_over_its_queue_is_refused_for_all_its_actors(database):
    await queue("https://b.example/users/one", 2)
    await queue("https://b.example/users/two", 2)
    check = limits(FixedClock(NOW), queued_per_actor=10, queued_per_domain=4, **OFF)
    over = await check.check("https://b.example/users/three")
    assert over is not None and "4 activities from b.example" in over.message
    assert await check.check("https://c.example/users/one") is None


async def test_what_this_process_stores_counts_until_the_next_sample(database):
    clock = FixedClock(NOW)
    check = limits(clock, queued_per_actor=2, queued_per_domain=100, **OFF)
    actor = "https://d.example/users/one"
    assert await check.check(actor) is None
    check.stored(actor)
    check.stored(actor)  # not yet in the database: the sample was taken before
    assert await check.check(actor) is not None
    clock.advance(1.5)  # the next sample finds none waiting (they were handled elsewhere)
    assert await check.check(actor) is None


def test_a_token_bucket_allows_the_burst_then_the_rate():
    now = [100.0]
    buckets = TokenBuckets(rate=2.0, burst=3, monotonic=lambda: now[0])
    assert [buckets.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.wait("a") == 0.5  # one token comes every half second
    assert buckets.wait("b") == 0.0  # each key has its own
    now[0] += 0.5
    assert buckets.wait("a") == 0.0
    assert buckets.wait("a") > 0


async def test_the_domain_rate_covers_all_its_actors(database):
    check = limits(
        FixedClock(NOW), queued_per_actor=0, queued_per_domain=0,
        actor_rate=100.0, actor_burst=100, domain_rate=1.0, domain_burst=2,
    )  # fmt: skip
    assert await check.check("https://e.example/users/one") is None
    assert await check.check("https://e.example/users/two") is None
    over = await check.check("https://e.example/users/three")
    assert over is not None and "e.example is sending faster" in over.message
    assert over.retry_after == 1
    assert await check.check("https://f.example/users/one") is None
