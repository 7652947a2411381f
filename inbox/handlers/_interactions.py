"""Storing a Like or Announce once, by its activity id, and only from the post's audience."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from inbox import storage
from inbox.context import InboxContext

log = logging.getLogger(__name__)


async def _allowed(activity: Activity, post: storage.Post) -> bool:
    """A Like from someone who may see the post; a boost only of a public or unlisted post
    (cara_fed/store/audience.py), as Mastodon decides: anything else is not counted."""
    if activity.type == "Announce" and not storage.may_boost(post):
        return False
    return await storage.may_see(activity.actor, post)


async def record_interaction(activity: Activity, ctx: InboxContext, *, only_local: bool) -> None:
    object_uri = activity.object_id
    if not object_uri:
        return
    post = await storage.live_local_post(object_uri) if ctx.urls.is_local(object_uri) else None
    is_local_post = post is not None
    if not is_local_post and (only_local or not await storage.followed_here(activity.actor)):
        return
    if post is not None and not await _allowed(activity, post):
        log.info(
            "%s of %s by %s ignored: not its audience", activity.type, post.uri, activity.actor
        )
        return
    actor = await ctx.resolver.actor(activity.actor)
    await storage.record_interaction(activity.type, actor, object_uri, activity.id, ctx.clock.now())
    if is_local_post:
        await storage.notify_interaction(activity.type, actor, object_uri)
