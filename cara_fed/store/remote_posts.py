"""Writing and deleting remote posts: the inbox's storage, each change in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.note import Note
from cara_fed.convert.from_as import attachment_rows, post_values
from cara_fed.store import embeddings, moderation
from cara_fed.store.ids import free_id_at
from cara_fed.store.media import media_files
from cara_fed.store.models import Actor, MediaAttachment, Post
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import REVIEW

if TYPE_CHECKING:
    from inbox.remote_media import ScreenedImage


async def record_remote(
    batch: ScreenedBatch,
    state: str,
    *,
    author: Actor,
    activity_uri: str,
    post_uri: str,
    now: datetime,
    post: Post | None = None,
) -> moderation.ModerationRecord:
    """The moderation record of a refused or held remote post."""
    return await moderation.record_batch(
        batch,
        state=state,
        origin="remote",
        actor_uri=author.uri,
        now=now,
        activity_uri=activity_uri,
        post_uri=post_uri,
        post=post,
    )


async def save_remote_post(
    note: Note,
    author: Actor,
    images: Sequence[ScreenedImage],
    batch: ScreenedBatch,
    *,
    activity_uri: str,
    now: datetime,
    existing: Post | None = None,
) -> tuple[Post, list[str]]:
    """Create the post, or apply an edit to `existing`, with its media rows and its review
    record in one transaction. Returns the post and the media files the edit replaced (the
    caller removes those no other row uses, after the commit)."""
    # A held post stays held until a moderator decides: an edit that drops what held it
    # (a declaration, say) must not publish it by itself.
    held = batch.outcome == REVIEW or (existing is not None and existing.held)
    values = post_values(note, author.followers_url, held=held)
    media = attachment_rows(note, images)
    old_files: list[str] = []
    async with in_transaction():
        if existing is None:
            published = note.published or now
            post = await Post.create(
                id=await free_id_at(Post, min(published, now)),
                uri=note.id,
                author=author,
                local=False,
                published=published,
                **values,
            )
        else:
            post = existing
            await post.update_from_dict({**values, "updated": note.updated or now})
            await post.save()
            old_files = await media_files(MediaAttachment.filter(post=post))
            await MediaAttachment.filter(post=post).delete()
        for row in media:
            row.post = post
        if media:
            await MediaAttachment.bulk_create(media)
        refreshed = None
        if existing is not None and existing.held:
            # The edit is screened and put before the moderator on the post's open record.
            edit = f"edited while held; the edit's screening: {batch.reason or batch.outcome}"
            refreshed = await moderation.refresh_review(post, batch, edit)
            if refreshed is not None:
                await embeddings.replace_for_record(refreshed, batch.verdicts, batch.hashes)
        if held and refreshed is None:  # newly held, or held without an open record
            await record_remote(
                batch,
                "review",
                author=author,
                activity_uri=activity_uri,
                post_uri=note.id,
                now=now,
                post=post,
            )
    return post, old_files


async def delete_remote_post(uri: str, author_uri: str, now: datetime) -> list[str] | None:
    """Make the author's post a tombstone and drop its media rows; returns the files they
    used, or None when there is no such live post."""
    post = await Post.get_or_none(uri=uri, author__uri=author_uri, deleted_at=None)
    if post is None:
        return None
    async with in_transaction():
        files = await media_files(MediaAttachment.filter(post=post))
        await MediaAttachment.filter(post=post).delete()
        post.deleted_at = now
        post.content = ""
        post.summary = None
        await post.save()
    return files


async def delete_remote_actor(uri: str) -> tuple[Actor, list[str]] | None:
    """Delete a remote actor and, by cascade, their posts, media rows, follows and
    interactions; returns the deleted row and the media files its posts used."""
    actor = await Actor.get_or_none(uri=uri, local=False)
    if actor is None:
        return None
    files = await media_files(MediaAttachment.filter(post__author=actor))
    await actor.delete()
    return actor, files
