"""Emitting an activity: store it (so its id dereferences) and write one durable delivery row
per distinct inbox. Shared inboxes are used where a peer has one, so a post to a thousand
followers on one server is one signed request, not a thousand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from activitypub.activity import build_accept, build_reject
from federation import storage
from federation.clock import Clock
from federation.storage import Actor, OutboundActivity, Post


def inbox_for(actor: Actor, *, shared: bool) -> str:
    return (actor.shared_inbox or actor.inbox) if shared else actor.inbox


async def follower_inboxes(local: Actor) -> list[str]:
    """Distinct inboxes of the accepted remote followers, shared inboxes preferred."""
    followers = await storage.accepted_remote_followers(local)
    return sorted({inbox_for(follower, shared=True) for follower in followers})


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
    return await storage.store_outbound(
        actor, body, sorted(set(inboxes)), clock.now(), public=public, post=post
    )


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
