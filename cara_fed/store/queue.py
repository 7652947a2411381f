"""Claiming rows of a durable queue (deliveries, inbound jobs) under a lease.

A row is claimed by a conditional UPDATE that only succeeds while no live lease is held, so
two workers (the server and a CLI command) never send the same row at once, and a worker
killed mid-send leaves a lease that simply expires: the row is sent again after a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model

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
    candidates = model.filter(state="pending", next_attempt_at__lte=now, **filters).filter(
        _unleased(now)
    )
    if exclude:
        candidates = candidates.exclude(**exclude)
    ids = (
        await candidates.order_by("next_attempt_at", "id").limit(limit).values_list("id", flat=True)
    )
    lease = now + timedelta(seconds=lease_seconds)
    claimed = []
    for row_id in ids:
        updated = await model.filter(_unleased(now), id=row_id, state="pending").update(
            lease_until=lease
        )
        if updated:
            claimed.append(row_id)
    if not claimed:
        return []
    return await model.filter(id__in=claimed).order_by("next_attempt_at", "id")


async def claim_one(
    model: type[M], row_id: int, *, now: datetime, lease_seconds: float
) -> M | None:
    lease = now + timedelta(seconds=lease_seconds)
    updated = await model.filter(_unleased(now), id=row_id, state="pending").update(
        lease_until=lease
    )
    return await model.get(id=row_id) if updated else None


def retry_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base·2^(attempt-1), capped; attempt counts from 1."""
    return min(cap, base * (2 ** max(0, attempt - 1)))
