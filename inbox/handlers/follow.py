"""Follow: a remote actor asks to follow a local one. Auto-accepted unless the account
approves followers by hand; a repeated Follow is answered with a fresh Accept, as Mastodon does,
so a peer that lost our first Accept can recover. A Follow from someone on either side of a
block with the account (or from a server it blocks) is answered with a Reject."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from federation.outbox import answer_follow
from inbox import storage
from inbox.context import InboxContext

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    target_uri = activity.object_id
    target = await storage.local_actor(target_uri) if target_uri else None
    if target is None or target.actor_type != "Person":
        log.info("Follow %s targets %s, which is not a local account", activity.id, target_uri)
        return
    follower = await ctx.resolver.actor(activity.actor)
    if await storage.shut_out(target, follower.uri):
        log.info("Follow %s: %s and %s block each other", activity.id, follower.uri, target.uri)
        await answer_follow(
            target, follower, activity.raw, ctx.urls.new_activity(), ctx.clock, accept=False
        )
        ctx.wake_delivery()
        return
    follow = await storage.record_follow(follower, target, activity.id)
    kind = "follow" if follow.state == "accepted" else "follow_request"
    await storage.notify(target, kind, follower)
    if follow.state == "accepted":
        await answer_follow(
            target, follower, activity.raw, ctx.urls.new_activity(), ctx.clock, accept=True
        )
        ctx.wake_delivery()
