"""Emitting an activity: store it (so its id dereferences) and write one durable delivery row
per distinct inbox. Shared inboxes are used where a peer has one, so a post to a thousand
followers on one server is one signed request, not a thousand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.transactions import in_transaction

from activitypub.activity import build_accept, build_reject
from activitypub.values import host_of
from cara_fed.store.models import Actor, Delivery, Follow, OutboundActivity, Post
from federation.clock import Clock


def inbox_for(actor: Actor, *, shared: bool) -> str:
    return (actor.shared_inbox or actor.inbox) if shared else actor.inbox


async def follower_inboxes(local: Actor) -> list[str]:
    """Distinct inboxes of the accepted remote followers, shared inboxes preferred."""
    follows = await Follow.filter(
        followee=local, state="accepted", follower__local=False
    ).prefetch_related("follower")
    return sorted({inbox_for(f.follower, shared=True) for f in follows})


async def emit(
    actor: Actor,
    body: dict[str, Any],
    inboxes: Iterable[str],
    clock: Clock,
    *,
    public: bool,
    post: Post | None = None,
) -> OutboundActivity:
    """Store `body` and queue it to `inboxes` in one transaction: both or neither."""
    now = clock.now()
    targets = sorted(set(inboxes))
    async with in_transaction():
        activity = await OutboundActivity.create(
            uri=body["id"], actor=actor, kind=body["type"], body=body, public=public, post=post
        )
        if targets:
            await Delivery.bulk_create(
                [
                    Delivery(
                        activity=activity, inbox=inbox, domain=host_of(inbox), next_attempt_at=now
                    )
                    for inbox in targets
                ]
            )
    return activity


async def answer_follow(
    local: Actor,
    follower: Actor,
    follow_body: dict[str, Any],
    activity_id: str,
    clock: Clock,
    *,
    accept: bool,
) -> OutboundActivity:
    """Accept or Reject a Follow, sent to the follower's own inbox (not the shared one)."""
    build = build_accept if accept else build_reject
    return await emit(
        local, build(activity_id, local.uri, follow_body), [follower.inbox], clock, public=False
    )
