"""Follow: a remote actor asks to follow a local one. Auto-accepted unless the account
approves followers by hand; a repeated Follow is answered with a fresh Accept, as Mastodon does,
so a peer that lost our first Accept can recover."""

from __future__ import annotations

import logging

from activitypub.activity import Activity, build_accept
from cara_fed.store.models import Actor, Follow
from federation.outbox import emit
from inbox.context import InboxContext

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    target_uri = activity.object_id
    target = await Actor.get_or_none(uri=target_uri, local=True) if target_uri else None
    if target is None or target.actor_type != "Person":
        log.info("Follow %s targets %s, which is not a local account", activity.id, target_uri)
        return
    follower = await ctx.resolver.actor(activity.actor)
    follow = await Follow.get_or_none(follower=follower, followee=target)
    if follow is None:
        state = "pending" if target.manually_approves_followers else "accepted"
        follow = await Follow.create(
            follower=follower, followee=target, state=state, activity_uri=activity.id
        )
    elif follow.activity_uri != activity.id:
        follow.activity_uri = activity.id
        await follow.save()
    if follow.state == "accepted":
        await send_accept(target, follower, activity.raw, ctx)


async def send_accept(local: Actor, follower: Actor, follow_body: dict, ctx: InboxContext) -> None:
    body = build_accept(ctx.urls.new_activity(), local.uri, follow_body)
    await emit(local, body, [follower.inbox], ctx.clock, public=False)
    ctx.wake_delivery()
