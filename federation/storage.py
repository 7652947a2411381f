"""Everything federation reads or writes, in one module: the one place `federation/` imports
the application's storage (`cara_fed.store`), which imports nothing of the application
above it (tests/test_layers.py checks), so the wire code never pulls in the web app.

The queries are named for what the delivery worker, the outbox and the resolver ask."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from activitypub.values import host_of
from cara_fed.store import queue
from cara_fed.store.actors import actor_by_key_id, actor_by_uri, upsert_remote_actor
from cara_fed.store.follows import follow_document
from cara_fed.store.models import Actor, Delivery, DomainHealth, Follow, OutboundActivity, Post

__all__ = [
    "Actor",
    "Delivery",
    "Follow",
    "OutboundActivity",
    "Post",
    "actor_by_key_id",
    "actor_by_uri",
    "follow_document",
    "upsert_remote_actor",
]


# -- the delivery queue ------------------------------------------------------------------


async def claim_deliveries(
    now: datetime, lease_seconds: float, limit: int, skip_domains: Sequence[str]
) -> list[Delivery]:
    """Due deliveries, leased, with their activity and its actor (one query per relation
    for the whole batch, rather than two per delivery)."""
    rows = await queue.claim_due(
        Delivery,
        now=now,
        lease_seconds=lease_seconds,
        limit=limit,
        exclude={"domain__in": list(skip_domains)},
    )
    if rows:
        await Delivery.fetch_for_list(rows, "activity__actor")
    return rows


async def release_delivery(row: Delivery) -> bool:
    return await queue.release(Delivery, row)


async def claim_delivery(delivery_id: int, now: datetime, lease_seconds: float) -> Delivery | None:
    row = await queue.claim_one(Delivery, delivery_id, now=now, lease_seconds=lease_seconds)
    if row is not None:
        await row.fetch_related("activity", "activity__actor")
    return row


async def finish_delivery(row: Delivery, **values: Any) -> bool:
    return await queue.finish(Delivery, row, **values)


# -- domain health -----------------------------------------------------------------------


async def unavailable_domains(now: datetime) -> list[str]:
    return await DomainHealth.filter(unavailable_until__gt=now).values_list("domain", flat=True)


async def domain_recovered(domain: str) -> None:
    # A read first: a delete is a commit (an fsync) even when there is nothing to delete.
    if await DomainHealth.exists(domain=domain):
        await DomainHealth.filter(domain=domain).delete()


async def domain_failed(domain: str, error: str, *, threshold: int, until: datetime) -> None:
    """Count the failure atomically (deliveries to one domain run concurrently); at
    `threshold` failures in a row the domain is skipped until `until`."""
    with contextlib.suppress(IntegrityError):
        await DomainHealth.get_or_create(domain=domain)
    await DomainHealth.filter(domain=domain).update(
        consecutive_failures=F("consecutive_failures") + 1, last_error=error
    )
    await DomainHealth.filter(domain=domain, consecutive_failures__gte=threshold).update(
        unavailable_until=until
    )


# -- the outbox --------------------------------------------------------------------------


async def accepted_remote_followers(local: Actor) -> list[Actor]:
    follows = await Follow.filter(
        followee=local, state="accepted", follower__local=False
    ).prefetch_related("follower")
    return [follow.follower for follow in follows]


async def store_outbound(
    actor: Actor,
    body: dict[str, Any],
    inboxes: Sequence[str],
    now: datetime,
    *,
    public: bool,
    post: Post | None = None,
) -> OutboundActivity:
    """The activity and one delivery row per inbox in one transaction: both or neither."""
    async with in_transaction():
        activity = await OutboundActivity.create(
            uri=body["id"], actor=actor, kind=body["type"], body=body, public=public, post=post
        )
        if inboxes:
            await Delivery.bulk_create(
                [
                    Delivery(
                        activity=activity, inbox=inbox, domain=host_of(inbox), next_attempt_at=now
                    )
                    for inbox in inboxes
                ]
            )
    return activity
