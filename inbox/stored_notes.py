"""Storing a remote post and its media, after screening: shared by Create, Update and posts
fetched because a boost or a search pointed at them.

Every image is fetched and screened before anything is stored. One refused image refuses the
post: only a moderation record remains (sender, activity, evidence, hashes; no image). One
image sent to review holds the post: stored but invisible until an admin decides.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from activitypub.note import Note, visibility_of
from inbox import credentials_check, storage
from inbox.context import InboxContext
from inbox.remote_detector import consult
from inbox.remote_media import FetchedMedia, ScreenedImage
from inbox.screening import MediaContext
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import ACCEPT, REFUSE, REVIEW, UNAVAILABLE, Verdict

log = logging.getLogger(__name__)


def _unavailable(url: str, fetched: FetchedMedia) -> Verdict:
    return Verdict(
        UNAVAILABLE,
        [{"signal": "fetch", "outcome": UNAVAILABLE, "detail": fetched.error, "value": url}],
    )


async def _screen_all(note: Note, author: storage.Actor, ctx: InboxContext) -> list[ScreenedImage]:
    listed = await storage.listed_as(author.uri)
    if note.attachments:
        await storage.refresh_hash_index(ctx.screener, ctx.urls)
    visibility = visibility_of(note, author.followers_url)
    screened = []
    for att in note.attachments:
        fetched = await ctx.media.fetch(att)
        if fetched.data is None:
            log.info("media %s of %s unavailable: %s", att.url, note.id, fetched.error)
            screened.append(ScreenedImage(fetched, _unavailable(att.url, fetched)))
            continue
        context = MediaContext(note.id, author.uri, note.content, att.name, note.tags, listed)
        verdict = await asyncio.to_thread(ctx.screener.screen, fetched.data, context)
        verdict = await consult(ctx.detector, verdict, fetched.data, visibility)
        credentials = None
        if verdict.outcome in (ACCEPT, REVIEW) and ctx.client is not None:
            credentials = await credentials_check.check(
                fetched.data, author.uri, author.domain, ctx.client, ctx.credentials_first_contact
            )
        screened.append(ScreenedImage(fetched, verdict, credentials=credentials))
    return screened


async def store_note(
    note: Note,
    author: storage.Actor,
    activity_uri: str,
    ctx: InboxContext,
    existing: storage.Post | None = None,
) -> storage.Post | None:
    """Screen, then store (or hold); None when the post was refused."""
    screened = await _screen_all(note, author, ctx)
    batch = ScreenedBatch(
        tuple(s.verdict for s in screened), tuple(s.fetched.sha256 for s in screened)
    )
    now = ctx.clock.now()
    if batch.outcome == REFUSE:
        await storage.record_remote(
            batch, "refused", author=author, activity_uri=activity_uri, post_uri=note.id, now=now
        )
        log.info("refused %s from %s: %s", note.id, author.uri, batch.reason)
        return None
    kept = [
        dataclasses.replace(s, kept=await ctx.media.store(s.fetched))
        if s.verdict.outcome in (ACCEPT, REVIEW)
        else s
        for s in screened
    ]
    post, replaced = await storage.save_remote_post(
        note, author, kept, batch, activity_uri=activity_uri, now=now, existing=existing
    )
    await storage.remove_unused_files(replaced, ctx.media.files)
    return post
