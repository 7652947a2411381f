"""Storing a remote post and its media, after screening: shared by Create and Update.

Every image is fetched and screened before anything is stored. One refused image refuses the
post: only a moderation record remains (sender, activity, evidence, hashes; no image). One
image sent to review holds the post: stored but invisible until an admin decides.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from activitypub.note import Note
from activitypub.vocab import PUBLIC_ALIASES
from cara_fed.store import embeddings, hash_lists, moderation
from cara_fed.store.media import media_files, remove_unused_files
from cara_fed.store.models import Actor, MediaAttachment, Post
from inbox.context import InboxContext
from inbox.remote_detector import consult
from inbox.remote_media import FetchedMedia
from inbox.screening import MediaContext
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import (
    ACCEPT,
    REFUSE,
    REVIEW,
    UNAVAILABLE,
    Verdict,
)

log = logging.getLogger(__name__)


def visibility_of(note: Note, author: Actor) -> str:
    if PUBLIC_ALIASES & set(note.to):
        return "public"
    if PUBLIC_ALIASES & set(note.cc):
        return "unlisted"
    if author.followers_url and author.followers_url in note.to + note.cc:
        return "followers"
    return "direct"


@dataclass(frozen=True)
class ScreenedImage:
    fetched: FetchedMedia
    verdict: Verdict


async def _screen_all(note: Note, author: Actor, ctx: InboxContext) -> list[ScreenedImage]:
    listed = await moderation.listed_as(author.uri)
    if note.attachments:
        await hash_lists.refresh_index(ctx.screener, ctx.urls)
    screened = []
    for att in note.attachments:
        fetched = await ctx.media.fetch(att)
        if fetched.data is None:
            log.info("media %s of %s unavailable: %s", att.url, note.id, fetched.error)
            verdict = Verdict(
                UNAVAILABLE,
                [
                    {
                        "signal": "fetch",
                        "outcome": UNAVAILABLE,
                        "detail": fetched.error,
                        "value": att.url,
                    }
                ],
            )
        else:
            context = MediaContext(note.id, author.uri, note.content, att.name, note.tags, listed)
            verdict = await asyncio.to_thread(ctx.screener.screen, fetched.data, context)
            verdict = await consult(
                ctx.detector, verdict, fetched.data, visibility_of(note, author)
            )
        screened.append(ScreenedImage(fetched, verdict))
    return screened


async def store_note(
    note: Note,
    author: Actor,
    activity_uri: str,
    ctx: InboxContext,
    existing: Post | None = None,
) -> Post | None:
    """Screen, then store (or hold); None when the post was refused."""
    screened = await _screen_all(note, author, ctx)
    batch = ScreenedBatch(
        tuple(s.verdict for s in screened), tuple(s.fetched.sha256 for s in screened)
    )
    overall, reason = batch.outcome, batch.reason

    async def record(state: str, post: Post | None = None) -> moderation.ModerationRecord:
        return await moderation.record_batch(
            batch,
            state=state,
            origin="remote",
            actor_uri=author.uri,
            now=ctx.clock.now(),
            activity_uri=activity_uri,
            post_uri=note.id,
            post=post,
        )

    if overall == REFUSE:
        await record("refused")
        log.info("refused %s from %s: %s", note.id, author.uri, reason)
        return None
    stored = [
        await ctx.media.store(s.fetched) if s.verdict.outcome in (ACCEPT, REVIEW) else None
        for s in screened
    ]
    media = [
        MediaAttachment(
            position=position,
            remote_url=att.url,
            file_name=kept.file_name if kept else None,
            thumb_file=kept.thumb_file if kept else None,
            thumb_width=kept.thumb_width if kept else None,
            thumb_height=kept.thumb_height if kept else None,
            media_type=s.fetched.info.media_type if s.fetched.info else att.media_type,
            description=att.name,
            width=att.width or (s.fetched.info.width if s.fetched.info else None),
            height=att.height or (s.fetched.info.height if s.fetched.info else None),
            blurhash=att.blurhash,
            focal_x=att.focal_point[0],
            focal_y=att.focal_point[1],
            size_bytes=len(s.fetched.data) if s.fetched.data is not None else None,
            sha256=s.fetched.sha256,
            screening_verdict=s.verdict.outcome,
            screening_evidence=s.verdict.evidence,
        )
        for position, (att, s, kept) in enumerate(
            zip(note.attachments, screened, stored, strict=True)
        )
    ]
    values = {
        "url": note.url,
        "content": note.content,
        "summary": note.summary,
        "sensitive": note.sensitive,
        "in_reply_to": note.in_reply_to,
        "visibility": visibility_of(note, author),
        "recipients": note.to + note.cc,
        "x_robots_tag": note.x_robots_tag,
        "tags": list(note.tags),
        # A held post stays held until a moderator decides: an edit that drops what held it
        # (a declaration, say) must not publish it by itself.
        "held": overall == REVIEW or (existing is not None and existing.held),
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
            old_files = await media_files(MediaAttachment.filter(post=post))
            await MediaAttachment.filter(post=post).delete()
        for row in media:
            row.post = post
        if media:
            await MediaAttachment.bulk_create(media)
        if existing is not None and existing.held:
            # The edit is screened and put before the moderator on the post's open record.
            edit = f"edited while held; the edit's screening: {reason or overall}"
            refreshed = await moderation.refresh_review(post, batch, edit)
            if refreshed is None:
                await record("review", post)
            else:
                await embeddings.replace_for_record(refreshed, batch.verdicts, batch.hashes)
        elif overall == REVIEW:
            await record("review", post)
    await remove_unused_files(old_files, ctx.media.root)
    return post
