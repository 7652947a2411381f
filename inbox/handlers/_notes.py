"""Storing a remote post and its media: shared by Create and Update."""

from __future__ import annotations

import logging

from tortoise.transactions import in_transaction

from activitypub.note import Note
from activitypub.vocab import PUBLIC_ALIASES
from cara_fed.store.media import remove_unused_files
from cara_fed.store.models import Actor, MediaAttachment, Post
from inbox.context import InboxContext
from inbox.screening import MediaContext

log = logging.getLogger(__name__)


def visibility_of(note: Note, author: Actor) -> str:
    if PUBLIC_ALIASES & set(note.to):
        return "public"
    if PUBLIC_ALIASES & set(note.cc):
        return "unlisted"
    if author.followers_url and author.followers_url in note.to + note.cc:
        return "followers"
    return "direct"


async def _media_rows(note: Note, ctx: InboxContext) -> list[MediaAttachment]:
    """Fetch and screen every attachment first: the post is stored only with all of them."""
    rows = []
    for position, att in enumerate(note.attachments):
        cached = await ctx.media.cache(
            att, MediaContext(note.id, note.attributed_to, note.content, att.name)
        )
        if cached.error:
            log.info("media %s of %s not cached: %s", att.url, note.id, cached.error)
        rows.append(
            MediaAttachment(
                position=position,
                remote_url=att.url,
                file_name=cached.file_name,
                media_type=cached.info.media_type if cached.info else att.media_type,
                description=att.name,
                width=att.width or (cached.info.width if cached.info else None),
                height=att.height or (cached.info.height if cached.info else None),
                blurhash=att.blurhash,
                focal_x=att.focal_point[0],
                focal_y=att.focal_point[1],
                size_bytes=cached.size,
                sha256=cached.sha256,
                screening_verdict=cached.verdict.outcome,
                screening_evidence=cached.verdict.evidence,
            )
        )
    return rows


async def store_note(
    note: Note, author: Actor, ctx: InboxContext, existing: Post | None = None
) -> Post:
    media = await _media_rows(note, ctx)
    values = {
        "url": note.url,
        "content": note.content,
        "summary": note.summary,
        "sensitive": note.sensitive,
        "in_reply_to": note.in_reply_to,
        "visibility": visibility_of(note, author),
        "recipients": note.to + note.cc,
    }
    old_files: list[str] = []
    async with in_transaction():
        if existing is None:
            post = await Post.create(
                uri=note.id,
                author=author,
                local=False,
                published=note.published or ctx.clock.now(),
                **values,
            )
        else:
            post = existing
            await post.update_from_dict({**values, "updated": note.updated or ctx.clock.now()})
            await post.save()
            old = await MediaAttachment.filter(post=post)
            old_files = [m.file_name for m in old if m.file_name]
            await MediaAttachment.filter(post=post).delete()
        for row in media:
            row.post = post
        if media:
            await MediaAttachment.bulk_create(media)
    await remove_unused_files(old_files, ctx.media.root)
    return post
