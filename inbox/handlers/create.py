"""Create of a post: kept when someone here follows the author, when it replies to one of our
posts, or when it is addressed to one of our members; anything else is not ours to store. A reply
to a work from someone its artist blocks (or who blocks them) is not stored."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from activitypub.errors import InvalidObject
from activitypub.note import parse_note
from activitypub.values import origin
from inbox import storage
from inbox.context import InboxContext
from inbox.stored_notes import store_note

log = logging.getLogger(__name__)


async def _is_relevant(
    activity: Activity, in_reply_to: str | None, members: list[storage.Actor], ctx: InboxContext
) -> bool:
    if members or await storage.followed_here(activity.actor):
        return True
    return bool(
        in_reply_to and ctx.urls.is_local(in_reply_to) and await storage.post_exists(in_reply_to)
    )


async def handle(activity: Activity, ctx: InboxContext) -> None:
    obj = activity.embedded_object
    if obj is None:
        if not activity.object_id or origin(activity.object_id) != origin(activity.actor):
            log.info("Create %s points at an object off the actor's server", activity.id)
            return
        obj = await ctx.resolver.fetch_object(activity.object_id)
    try:
        note = parse_note(obj)
    except InvalidObject as exc:
        log.info("Create %s carries an object we do not store: %s", activity.id, exc)
        return
    if note.attributed_to != activity.actor or origin(note.id) != origin(activity.actor):
        log.info("Create %s: object %s is not the actor's own", activity.id, note.id)
        return
    if await storage.post_exists(note.id):
        return
    if note.in_reply_to and ctx.urls.is_local(note.in_reply_to):
        if await storage.reply_to_one_who_shuts_out(note.in_reply_to, activity.actor):
            log.info("Create %s: a reply to a work whose artist blocks %s", activity.id, note.id)
            return
    # Read once: they make the post ours to keep, and they are told of it.
    members = await storage.local_members_among(
        [uri for uri in note.to + note.cc if ctx.urls.is_local(uri)]
    )
    if not await _is_relevant(activity, note.in_reply_to, members, ctx):
        log.info("Create %s: nobody here follows %s", activity.id, activity.actor)
        return
    author = await ctx.resolver.actor(activity.actor)
    post = await store_note(note, author, activity.id, ctx)
    if post is not None:
        await storage.notify_mentions(post, author, members)
        await storage.notify_subscribers(author, post)
