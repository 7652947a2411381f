"""Claiming rows of a durable queue (deliveries, inbound jobs) under a lease.

A row is claimed by a conditional UPDATE that only succeeds while no live lease is held, so
two workers (the server and a CLI command) never send the same row at once, and a worker
killed mid-send leaves a lease that simply expires: the row is sent again after a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from tortoise.expressions import F, Q
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.transactions import in_transaction

from cara_fed.store import raw_sql

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
    skip: Q | None = None,
    **filters: Any,
) -> list[M]:
    """Lease up to `limit` due rows. Claim only what you will start on now: a leased row
    waiting in a local queue could outlive its lease and be sent twice."""
    candidates = model.filter(state="pending", next_attempt_at__lte=now, **filters).filter(
        _unleased(now)
    )
    if exclude:
        candidates = candidates.exclude(**exclude)
    if skip is not None:
        candidates = candidates.exclude(skip)
    candidates = candidates.order_by("next_attempt_at", "id").limit(limit)
    lease = now + timedelta(seconds=lease_seconds)
    if model._meta.db.capabilities.dialect == "postgres":
        claimed = await _claim_skipping_locked(model, candidates, now, lease)
    else:
        ids = await candidates.values_list("id", flat=True)
        claimed = await _lease(model, ids, now, lease) if ids else []
    if not claimed:
        return []
    return await model.filter(id__in=claimed).order_by("next_attempt_at", "id")


async def _claim_skipping_locked(model: type[M], candidates, now: datetime, lease: datetime):
    """PostgreSQL, several workers: each locks the due rows no other is looking at (FOR
    UPDATE SKIP LOCKED) and leases them in the same transaction, so workers claiming at once
    take different rows instead of racing for the same few and coming away empty. The lease
    still decides who owns a row; the lock only lasts the claim."""
    async with in_transaction(model._meta.default_connection):
        ids = [row.pk for row in await candidates.select_for_update(skip_locked=True)]
        return await _lease(model, ids, now, lease) if ids else []


async def _lease(model: type[Model], ids: list[int], now: datetime, lease: datetime) -> list:
    """Take the lease and count the attempt in one statement, so an attempt that kills the
    process still counts and a poison row cannot be retried forever. For many rows at once:
    UPDATE … RETURNING names exactly the rows this worker leased (another may have taken some
    since we looked). One UPDATE per row, built by the ORM, was about a tenth of the worker's
    time on a backlog (bench/drain.py). SQLite ≥ 3.35 and PostgreSQL both have RETURNING."""
    meta = model._meta
    fields = meta.fields_map
    sql = (
        f'UPDATE "{meta.db_table}" SET "lease_until" = ?, "attempts" = "attempts" + 1 '
        f"WHERE \"state\" = 'pending' "
        f'AND ("lease_until" IS NULL OR "lease_until" < ?) '
        f'AND "id" IN ({", ".join("?" * len(ids))}) RETURNING "id"'
    )
    values = [
        fields["lease_until"].to_db_value(lease, model),
        fields["lease_until"].to_db_value(now, model),
        *ids,
    ]
    return [row["id"] for row in await raw_sql.rows(model, sql, values)]


async def claim_one(
    model: type[M], row_id: int, *, now: datetime, lease_seconds: float
) -> M | None:
    lease = now + timedelta(seconds=lease_seconds)
    return await model.get(id=row_id) if await _lease(model, [row_id], now, lease) else None


async def finish(model: type[M], row: M, **values: Any) -> bool:
    """Record the outcome only if we still hold the lease; False means another worker took
    the row over after our lease expired, and its outcome stands."""
    updated = await model.filter(id=row.pk, lease_until=row.lease_until).update(
        lease_until=None, **values
    )
    return bool(updated)


async def finish_all(model: type[M], rows: list[M], **values: Any) -> int:
    """`finish` for rows claimed together (they share one lease), in one UPDATE; returns how
    many we still held."""
    by_lease: dict[Any, list[Any]] = {}
    for row in rows:
        by_lease.setdefault(row.lease_until, []).append(row.pk)
    updated = 0
    for lease, ids in by_lease.items():
        updated += await model.filter(id__in=ids, lease_until=lease).update(
            lease_until=None, **values
        )
    return updated


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


async def backlog(model: type[Model], now: datetime) -> tuple[int, int]:
    """(rows due and not yet handled, the newest row's id): what backpressure samples. The
    count runs on the queue index; the id is the last of the primary key."""
    pending = await model.filter(state="pending", next_attempt_at__lte=now).count()
    newest = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    return pending, newest[0] if newest else 0


async def pending_by_actor(model: type[Model], now: datetime) -> dict[str, int]:
    """Rows not yet handled (due or waiting for a retry), counted per actor: what the
    per-sender limits sample."""
    rows = (
        await model.filter(state="pending")
        .annotate(queued=Count("id"))
        .group_by("actor_uri")
        .values_list("actor_uri", "queued")
    )
    return dict(rows)
