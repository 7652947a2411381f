"""Delete of a post (it becomes a tombstone, its media gone) or of an actor (all of their
content, follows and interactions gone)."""

from __future__ import annotations

from activitypub.activity import Activity
from inbox import storage
from inbox.context import InboxContext


async def handle(activity: Activity, ctx: InboxContext) -> None:
    if activity.object_id == activity.actor:
        await _delete_actor(activity.actor, ctx)
        return
    if activity.object_id is None:
        return
    files = await storage.delete_remote_post(activity.object_id, activity.actor, ctx.clock.now())
    if files is not None:
        await storage.remove_unused_files(files, ctx.media.files)


async def _delete_actor(uri: str, ctx: InboxContext) -> None:
    deleted = await storage.delete_remote_actor(uri)
    if deleted is None:
        return
    actor, files = deleted
    ctx.resolver.forget(actor)
    await storage.remove_unused_files(files, ctx.media.files)
