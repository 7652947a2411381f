"""Emitting an activity: store it (so its id dereferences) and write one durable delivery row
per distinct inbox. Shared inboxes are used where a peer has one, so a post to a thousand
followers on one server is one signed request, not a thousand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from activitypub.activity import build_accept, build_reject, build_undo
from federation import storage
from federation.clock import Clock
from federation.storage import Actor, Follow, OutboundActivity, Post


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


async def end_follow(
    follow: Follow, follower: Actor, followee: Actor, activity_id: str, clock: Clock
) -> None:
    """`follower`'s follow of `followee` (accepted or asked) ends, and the other server is
    told: an Undo when the follower is ours, a Reject when the followee is (nothing when both
    are here). Unfollowing, blocking and moving all end follows this way."""
    await follow.delete()
    if follower.local == followee.local:
        return
    body = await storage.follow_document(follow, follower, followee)
    if follower.local:
        undo = build_undo(activity_id, follower.uri, body, [followee.uri])
        await emit(follower, undo, [followee.inbox], clock, public=False)
    else:
        await answer_follow(followee, follower, body, activity_id, clock, accept=False)
