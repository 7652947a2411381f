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
from pathlib import Path

from activitypub.note import Note, visibility_of
from inbox import credentials_check, storage
from inbox.context import InboxContext
from inbox.remote_detector import consult
from inbox.remote_media import FetchedMedia, MediaBudgetSpent, ScreenedImage
from inbox.screening import MediaContext
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import ACCEPT, REFUSE, REVIEW, UNAVAILABLE, Verdict

log = logging.getLogger(__name__)


def _unavailable(url: str, fetched: FetchedMedia) -> Verdict:
    return Verdict(
        UNAVAILABLE,
        [{"signal": "fetch", "outcome": UNAVAILABLE, "detail": fetched.error, "value": url}],
    )


async def _screen_all(
    note: Note, author: storage.Actor, ctx: InboxContext, spool: Path | None
) -> list[ScreenedImage]:
    if not note.attachments:
        return []
    listed = await storage.listed_as(author.uri)
    await storage.refresh_hash_index(ctx.screener, ctx.urls)
    visibility = visibility_of(note, author.followers_url)
    budget = ctx.media.budget_seconds
    deadline = asyncio.get_running_loop().time() + budget if budget > 0 else None
    screened = []
    for index, att in enumerate(note.attachments):
        assert spool is not None  # made for a note with attachments
        try:
            async with asyncio.timeout_at(deadline):
                fetched = await ctx.media.fetch(att, spool, index)
        except TimeoutError:
            raise MediaBudgetSpent(
                f"the images of {note.id} took longer than {budget:g} s in all to fetch "
                f"({index} of {len(note.attachments)} done); will retry"
            ) from None
        if fetched.path is None:
            log.info("media %s of %s unavailable: %s", att.url, note.id, fetched.error)
            screened.append(ScreenedImage(fetched, _unavailable(att.url, fetched)))
            continue
        # One image in memory at a time, and only while it is looked at.
        data = await asyncio.to_thread(fetched.read)
        context = MediaContext(note.id, author.uri, note.content, att.name, note.tags, listed)
        verdict = await asyncio.to_thread(ctx.screener.screen, data, context)
        verdict = await consult(ctx.detector, verdict, data, visibility)
        credentials = None
        if verdict.outcome in (ACCEPT, REVIEW) and ctx.client is not None:
            credentials = await credentials_check.check(
                data, author.uri, author.domain, ctx.client, ctx.credentials_first_contact
            )
        del data
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
    if not note.attachments:  # no spool to make and remove
        return await _screen_and_store(note, author, activity_uri, ctx, existing, None)
    async with ctx.media.spool() as spool:
        return await _screen_and_store(note, author, activity_uri, ctx, existing, spool)


async def _screen_and_store(
    note: Note,
    author: storage.Actor,
    activity_uri: str,
    ctx: InboxContext,
    existing: storage.Post | None,
    spool: Path | None,
) -> storage.Post | None:
    screened = await _screen_all(note, author, ctx, spool)
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
