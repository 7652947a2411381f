"""Claims on PostgreSQL (needs its server at 127.0.0.1:5432, which every machine of this
project runs): workers claiming at once take different rows. A claimer locks the due rows it
looks at (FOR UPDATE SKIP LOCKED) while it leases them; another claimer meanwhile takes the
rows after those at once, rather than picking the same ones and waiting on their locks."""

from __future__ import annotations

import asyncio
import contextvars
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import claim_due


async def _due(count: int, now: datetime) -> None:
    await InboundActivity.bulk_create(
        [
            InboundActivity(
                uri=f"https://p.example/activities/{n}",
                kind="Create",
                actor_uri="https://p.example/users/a",
                body={},
                next_attempt_at=now,
            )
            for n in range(count)
        ]
    )


async def test_a_claim_skips_the_rows_another_claimer_is_taking(postgres_database):
    now = datetime.now(UTC)
    await _due(50, now)
    outside = contextvars.copy_context()  # the other claimer is not in our transaction
    async with in_transaction():
        mid_claim = (
            await InboundActivity.filter(state="pending")
            .order_by("next_attempt_at", "id")
            .limit(30)
            .select_for_update()
        )
        other = asyncio.get_running_loop().create_task(
            claim_due(InboundActivity, now=now, lease_seconds=60, limit=50), context=outside
        )
        taken = await asyncio.wait_for(other, timeout=10)
    assert len(taken) == 20
    assert not {r.pk for r in taken} & {r.pk for r in mid_claim}
    # The first claimer let go without leasing: its rows are there for the next claim.
    again = await claim_due(InboundActivity, now=now, lease_seconds=60, limit=50)
    assert {r.pk for r in again} == {r.pk for r in mid_claim}


async def test_two_claimers_at_once_share_the_rows_without_overlap(postgres_database):
    now = datetime.now(UTC)
    await _due(50, now)
    first, second = await asyncio.gather(
        claim_due(InboundActivity, now=now, lease_seconds=60, limit=30),
        claim_due(InboundActivity, now=now, lease_seconds=60, limit=30),
    )
    assert not {r.pk for r in first} & {r.pk for r in second}
    assert len(first) + len(second) == 50
