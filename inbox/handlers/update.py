"""Update of an actor or a post. An actor's new document is refetched from its own origin
rather than taken from the activity, so a forged Update cannot swap a key (GoToSocial #3198)."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from activitypub.errors import InvalidObject
from activitypub.note import parse_note
from activitypub.values import as_list
from activitypub.vocab import ACTOR_TYPES
from inbox import storage
from inbox.context import InboxContext
from inbox.stored_notes import store_note

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    obj = activity.embedded_object or {}
    if set(as_list(obj.get("type"))) & ACTOR_TYPES or activity.object_id == activity.actor:
        if activity.object_id == activity.actor:
            await ctx.resolver.actor(activity.actor, refresh=True)
        return
    if not obj:
        return
    try:
        note = parse_note(obj)
    except InvalidObject as exc:
        log.info("Update %s carries an object we do not store: %s", activity.id, exc)
        return
    post = await storage.live_post_with_author(note.id)
    if post is None or post.author.uri != activity.actor:
        return
    updated = await store_note(note, post.author, activity.id, ctx, existing=post)
    if updated is not None and not updated.held:
        await storage.notify_boosters(post.author, updated)
