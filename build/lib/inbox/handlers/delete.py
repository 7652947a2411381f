"""Delete of a post (it becomes a tombstone, its media gone) or of an actor (all of their
content, follows and interactions gone)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from activitypub.activity import Activity
from cara_fed.store.media import media_files, remove_unused_files
from cara_fed.store.models import Actor, MediaAttachment, Post
from inbox.context import InboxContext


async def handle(activity: Activity, ctx: InboxContext) -> None:
    if activity.object_id == activity.actor:
        await _delete_actor(activity.actor, ctx)
        return
    post = await Post.get_or_none(
        uri=activity.object_id, author__uri=activity.actor, deleted_at=None
    )
    if post is None:
        return
    async with in_transaction():
        files = await media_files(MediaAttachment.filter(post=post))
        await MediaAttachment.filter(post=post).delete()
        post.deleted_at = ctx.clock.now()
        post.content = ""
        post.summary = None
        await post.save()
    await remove_unused_files(files, ctx.media.root)


async def _delete_actor(uri: str, ctx: InboxContext) -> None:
    actor = await Actor.get_or_none(uri=uri, local=False)
    if actor is None:
        return
    files = await media_files(MediaAttachment.filter(post__author=actor))
    # Posts, media rows, follows and interactions cascade with the actor row.
    await actor.delete()
    ctx.resolver.forget(actor)
    await remove_unused_files(files, ctx.media.root)
