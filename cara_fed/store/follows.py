"""Recording a Follow of a local account, whoever sends it: a peer's inbox (inbox/handlers/
follow.py) or a member of this server (cara_fed/services/following.py). One place decides the
state, so a follow request from next door waits for approval exactly like one from afar."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from activitypub.activity import build_follow
from cara_fed.store.models import Actor, Follow, InboundActivity, OutboundActivity


async def record_follow(follower: Actor, followee: Actor, activity_uri: str) -> Follow:
    """Accepted at once unless `followee` approves followers by hand, then pending. A repeated
    Follow keeps the state it has and takes the new activity id (the one an Undo will name)."""
    async with in_transaction():
        follow = await Follow.get_or_none(follower=follower, followee=followee)
        if follow is None:
            state = "pending" if followee.manually_approves_followers else "accepted"
            return await Follow.create(
                follower=follower, followee=followee, state=state, activity_uri=activity_uri
            )
        if follow.activity_uri != activity_uri:
            follow.activity_uri = activity_uri
            await follow.save(update_fields=["activity_uri"])
        return follow


async def follow_document(follow: Follow, follower: Actor, followee: Actor) -> dict[str, Any]:
    """The Follow an Undo or a Reject embeds: as we sent it (our member's) or received it (a
    peer's), else rebuilt from the row with the same id, which Mastodon matches by."""
    kept = OutboundActivity if follower.local else InboundActivity
    row = await kept.get_or_none(uri=follow.activity_uri)
    return row.body if row else build_follow(follow.activity_uri, follower.uri, followee.uri)
