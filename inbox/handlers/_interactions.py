"""Storing a Like or Announce once, by its activity id."""

from __future__ import annotations

from activitypub.activity import Activity
from inbox import storage
from inbox.context import InboxContext


async def record_interaction(activity: Activity, ctx: InboxContext, *, only_local: bool) -> None:
    object_uri = activity.object_id
    if not object_uri:
        return
    is_local_post = ctx.urls.is_local(object_uri) and await storage.live_local_post_exists(
        object_uri
    )
    if not is_local_post and (only_local or not await storage.followed_here(activity.actor)):
        return
    actor = await ctx.resolver.actor(activity.actor)
    await storage.record_interaction(activity.type, actor, object_uri, activity.id, ctx.clock.now())
    if is_local_post:
        await storage.notify_interaction(activity.type, actor, object_uri)
