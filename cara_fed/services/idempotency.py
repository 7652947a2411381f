"""The client API's Idempotency-Key: an app that retries a status it is not sure was made
sends the same key, and gets the status made the first time, for an hour (Mastodon's rule).

The key is reserved in the database before the status is made, so two retries racing on two
web processes make one status: the second finds the first's row, made or still being made."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from cara_fed.store.api_models import IdempotencyKey
from cara_fed.store.models import Actor

WINDOW = timedelta(hours=1)
IN_FLIGHT = 0  # the status id of a key whose status is still being made


async def reserve(member: Actor, key: str, now: datetime) -> IdempotencyKey | None:
    """None when the key is now ours to make a status with; otherwise the earlier request's
    row (its `status_id` is IN_FLIGHT while that request is still running)."""
    await IdempotencyKey.filter(actor=member, created_at__lt=now - WINDOW).delete()
    try:
        await IdempotencyKey.create(actor=member, key=key, status_id=IN_FLIGHT, created_at=now)
        return None
    except IntegrityError:
        return await IdempotencyKey.get_or_none(actor=member, key=key)


async def fulfil(member: Actor, key: str, status_id: int) -> None:
    await IdempotencyKey.filter(actor=member, key=key).update(status_id=status_id)


async def release(member: Actor, key: str) -> None:
    """The request failed: a retry with the same key may try again."""
    await IdempotencyKey.filter(actor=member, key=key, status_id=IN_FLIGHT).delete()
