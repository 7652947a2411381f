"""Announce (boost): of a local post it is counted; of another post, recorded when the booster
is followed here so it can reach their followers' feeds, and the boosted post fetched (and
screened) when this server does not have it, so apps can show the boost as Mastodon does."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from federation.resolver import ResolveError
from inbox import storage
from inbox.context import InboxContext
from inbox.fetched_posts import fetch_post
from inbox.handlers._interactions import record_interaction

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    await record_interaction(activity, ctx, only_local=False)
    boosted = activity.object_id
    if not boosted or ctx.urls.is_local(boosted) or await storage.post_exists(boosted):
        return
    if not await storage.followed_here(activity.actor):
        return
    try:
        await fetch_post(boosted, ctx)
    except ResolveError as exc:
        # The boost stays recorded: the web feed links to the post where it lives.
        log.info("Announce %s: could not fetch %s: %s", activity.id, boosted, exc)
