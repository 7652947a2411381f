"""Flag: another server reports a member here or their works (Mastodon and GoToSocial send
it from their instance actor, the account first and then the posts, with the reporter's
comment as `content`). Each member it names gets a report in the admins' queue; a Flag
about nothing of ours, or replayed, adds nothing."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from activitypub.values import as_list, id_of
from inbox import storage
from inbox.context import InboxContext

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    targets = [uri for uri in (id_of(o) for o in as_list(activity.object)) if uri]
    ours = [uri for uri in targets if ctx.urls.is_local(uri)]
    if not ours:
        log.info("Flag %s names nothing of ours", activity.id)
        return
    content = activity.raw.get("content")
    comment = content if isinstance(content, str) else ""
    reporter = await ctx.resolver.actor(activity.actor)
    made = await storage.record_flag(reporter, ours, comment, activity.id)
    log.info("Flag %s from %s: %d report(s)", activity.id, activity.actor, len(made))
