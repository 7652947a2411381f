"""Claiming rows of a durable queue (deliveries, inbound jobs) under a lease.

A row is claimed by a conditional UPDATE that only succeeds while no live lease is held, so
two workers (the server and a CLI command) never send the same row at once, and a worker
killed mid-send leaves a lease that simply expires: the row is sent again after a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from tortoise.expressions import F, Q
from tortoise.models import Model
from tortoise.transactions import in_transaction

M = TypeVar("M", bound=Model)


def _unleased(now: datetime) -> Q:
    return Q(lease_until=None) | Q(lease_until__lt=now)


async def claim_due(
    model: type[M],
    *,
    now: datetime,
    lease_seconds: float,
    limit: int,
    exclude: dict[str, Any] | None = None,
    **filters: Any,
) -> list[M]:
    """Lease up to `limit` due rows. Claim only what you will start on now: a leased row
    waiting in a local queue could outlive its lease and be sent twice."""
    candidates = model.filter(state="pending", next_attempt_at__lte=now, **filters).filter(
        _unleased(now)
    )
    if exclude:
        candidates = candidates.exclude(**exclude)
    ids = (
        await candidates.order_by("next_attempt_at", "id").limit(limit).values_list("id", flat=True)
    )
    lease = now + timedelta(seconds=lease_seconds)
    # Each row is leased by its own conditional UPDATE (so two workers never share one), all
    # in one transaction: one commit, one fsync, for the whole batch.
    async with in_transaction():
        claimed = [row_id for row_id in ids if await _lease(model, row_id, now, lease)]
    if not claimed:
        return []
    return await model.filter(id__in=claimed).order_by("next_attempt_at", "id")


async def claim_one(
    model: type[M], row_id: int, *, now: datetime, lease_seconds: float
) -> M | None:
    lease = now + timedelta(seconds=lease_seconds)
    return await model.get(id=row_id) if await _lease(model, row_id, now, lease) else None


async def _lease(model: type[Model], row_id: int, now: datetime, lease: datetime) -> bool:
    """Take the lease and count the attempt in one statement, so an attempt that kills the
    process still counts and a poison row cannot be retried forever."""
    updated = await model.filter(_unleased(now), id=row_id, state="pending").update(
        lease_until=lease, attempts=F("attempts") + 1
    )
    return bool(updated)


async def finish(model: type[M], row: M, **values: Any) -> bool:
    """Record the outcome only if we still hold the lease; False means another worker took
    the row over after our lease expired, and its outcome stands."""
    updated = await model.filter(id=row.pk, lease_until=row.lease_until).update(
        lease_until=None, **values
    )
    return bool(updated)


async def renew(model: type[M], row: M, until: datetime) -> bool:
    """Extend our lease on a long job; False means it was lost (it ran out and another worker
    took the row), and the job should stop."""
    updated = await model.filter(id=row.pk, lease_until=row.lease_until).update(lease_until=until)
    if updated:
        row.lease_until = until
    return bool(updated)


async def release(model: type[M], row: M) -> bool:
    """Give a job back untouched (the worker is shutting down): the attempt is not counted."""
    updated = await model.filter(id=row.pk, lease_until=row.lease_until).update(
        lease_until=None, attempts=F("attempts") - 1
    )
    return bool(updated)


def retry_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base·2^(attempt-1), capped; attempt counts from 1."""
    return min(cap, base * (2 ** max(0, attempt - 1)))
