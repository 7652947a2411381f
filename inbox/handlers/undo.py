"""Undo of a Follow, Like, Announce or Block. The undone activity may be embedded or just its id;
either way it must be the same actor's."""

from __future__ import annotations

from activitypub.activity import Activity
from activitypub.values import id_of
from inbox import storage
from inbox.context import InboxContext


async def handle(activity: Activity, ctx: InboxContext) -> None:
    undone_id = activity.object_id
    embedded = activity.embedded_object or {}
    kind = embedded.get("type")
    if embedded and id_of(embedded.get("actor")) not in (None, activity.actor):
        return
    if kind in (None, "Follow"):
        target = id_of(embedded.get("object")) if embedded else None
        await storage.remove_follow(activity.actor, followee_uri=target, activity_uri=undone_id)
    if kind in (None, "Like", "Announce") and undone_id:
        await storage.remove_interaction(undone_id, activity.actor)
    if kind in (None, "Block"):
        target = id_of(embedded.get("object")) if embedded else None
        await storage.remove_block_by(activity.actor, undone_id, target)
