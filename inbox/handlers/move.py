"""Move: an account that members here follow says it moved. Believed as Mastodon believes it:
the actor moves itself (object = actor), the target is fetched afresh and must list the
actor in its alsoKnownAs; then the members here follow the target instead (inbox/moved.py).
A Move that fails a check, or that was already done (a replay), changes nothing."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from activitypub.values import id_of
from federation.resolver import ResolveError
from inbox import storage
from inbox.context import InboxContext
from inbox.moved import move_followers

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    target_uri = id_of(activity.raw.get("target"))
    if activity.object_id != activity.actor or not target_uri:
        log.info("Move %s does not move its own actor to a target", activity.id)
        return
    origin = await ctx.resolver.actor(activity.actor)
    if origin.moved_to == target_uri:
        return  # done already: a replay, or the same move told twice
    try:
        target = await ctx.resolver.actor(target_uri, refresh=True)
    except ResolveError as exc:
        log.info("Move %s: the target %s cannot be read: %s", activity.id, target_uri, exc)
        return
    if origin.uri not in (target.also_known_as or []):
        log.info("Move %s: %s does not name %s in alsoKnownAs", activity.id, target.uri, origin.uri)
        return
    # Followers first, the mark last: a worker stopped halfway takes the rest up on retry
    # (a moved follower's row is gone, so none is moved twice).
    await move_followers(origin, target, ctx.urls, ctx.clock)
    await storage.mark_moved(origin, target.uri, ctx.clock.now())
    ctx.wake_delivery()
