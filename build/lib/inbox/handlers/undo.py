"""Undo of a Follow, Like or Announce. The undone activity may be embedded or just its id;
either way it must be the same actor's."""

from __future__ import annotations

from activitypub.activity import Activity
from activitypub.values import id_of
from cara_fed.store.models import Follow, Interaction
from inbox.context import InboxContext


async def handle(activity: Activity, ctx: InboxContext) -> None:
    undone_id = activity.object_id
    embedded = activity.embedded_object or {}
    kind = embedded.get("type")
    if embedded and id_of(embedded.get("actor")) not in (None, activity.actor):
        return
    if kind in (None, "Follow"):
        follows = Follow.filter(follower__uri=activity.actor)
        target = id_of(embedded.get("object")) if embedded else None
        if target:
            await follows.filter(followee__uri=target).delete()
        elif undone_id:
            await follows.filter(activity_uri=undone_id).delete()
    if kind in (None, "Like", "Announce") and undone_id:
        await Interaction.filter(activity_uri=undone_id, actor__uri=activity.actor).delete()
