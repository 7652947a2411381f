"""Images uploaded through the client API before their status, screened as they arrive.

Mastodon answers an upload at once (202) and processes it after; apps poll
GET /api/v1/media/:id until it is ready, and a status naming an upload still in process
gets 422 and is sent again. Here the processing is screening: the upload is on disk and in
its row before the 202, a task screens it, and a refusal is recorded for moderation like a
refused web upload (the bytes go; the reason stays). An upload left screening by a restart
is screened again when the app next asks about it."""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from cara_fed.services.post_input import PostError, Upload
from cara_fed.services.posting import screen_upload
from cara_fed.store import hash_lists, moderation
from cara_fed.store.api_models import ApiUpload
from cara_fed.store.media import remove_unused_files
from cara_fed.store.models import Actor
from cloak.imaging import BadImage, inspect_image
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import REFUSE, Verdict

if TYPE_CHECKING:
    from cara_fed.instance import Instance

log = logging.getLogger(__name__)
SCREENING = "screening"
FOLDER = "api-uploads"
KEEP_HOURS = 24


def parse_focus(value: str | None) -> tuple[float, float]:
    """Mastodon's "x,y", each from -1 to 1; anything else is a person's mistake to name."""
    if not value:
        return (0.0, 0.0)
    try:
        x, y = (float(part) for part in value.split(","))
    except ValueError:
        raise PostError("focus must be two numbers from -1 to 1, as x,y") from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise PostError("focus must be two numbers from -1 to 1, as x,y")
    return (x, y)


async def accept_upload(
    instance: Instance, actor: Actor, data: bytes, description: str, focus: tuple[float, float]
) -> ApiUpload:
    """Check and keep the upload, then screen it in the background; returns its row."""
    settings = instance.config.media
    if len(data) > settings.max_upload_bytes:
        raise PostError(f"the image is over the {settings.max_upload_bytes} byte limit")
    if len(description) > 1500:
        raise PostError("the description is longer than 1500 characters")
    try:
        info = await asyncio.to_thread(inspect_image, data, settings.max_pixels)
    except BadImage as exc:
        raise PostError(str(exc)) from None
    await _drop_forgotten(instance, actor)
    upload = Upload(data, description)
    name = f"{FOLDER}/{secrets.token_hex(16)}.{info.extension}"
    await instance.media.put(name, data)
    row = await ApiUpload.create(
        actor=actor,
        file_name=name,
        sha256=upload.sha256,
        media_type=info.media_type,
        width=info.width,
        height=info.height,
        description=description,
        focus_x=focus[0],
        focus_y=focus[1],
    )
    start_screening(instance, row)
    return row


async def _drop_forgotten(instance: Instance, actor: Actor) -> None:
    """Uploads never put in a status go after a day (Mastodon keeps them as long), looked
    for when the same member uploads again: no sweeper to run, nothing kept for long."""
    cutoff = instance.clock.now() - timedelta(hours=KEEP_HOURS)
    forgotten = await ApiUpload.filter(actor=actor, created_at__lt=cutoff)
    if forgotten:
        await discard(instance, forgotten)


def start_screening(instance: Instance, row: ApiUpload) -> None:
    """Screen in a task of this process, once at a time per upload."""
    if row.pk in instance.screening_uploads:
        return
    instance.screening_uploads.add(row.pk)
    task = asyncio.create_task(_screen(instance, row.pk))
    task.add_done_callback(lambda _: instance.screening_uploads.discard(row.pk))


async def _screen(instance: Instance, upload_id: int) -> None:
    row = await ApiUpload.get_or_none(id=upload_id).prefetch_related("actor")
    if row is None or row.state != SCREENING or row.file_name is None:
        return
    try:
        data = await instance.media.get(row.file_name)
        await hash_lists.refresh_index(instance.inbox_context.screener, instance.urls)
        upload = Upload(data, row.description)
        verdict = await screen_upload(instance, row.actor, upload, 1, "", "public")
    except (OSError, PostError) as exc:
        verdict = Verdict(REFUSE, [{"signal": "upload", "outcome": REFUSE, "detail": str(exc)}])
    except Exception:  # the task must leave the upload in a state an app can read
        log.exception("screening API upload %s failed", upload_id)
        return
    if verdict.outcome == REFUSE:
        batch = ScreenedBatch((verdict,), (row.sha256,))
        await moderation.record_batch(
            batch,
            state="refused",
            origin="local",
            actor_uri=row.actor.uri,
            now=instance.clock.now(),
        )
        await ApiUpload.filter(id=row.pk).update(
            state=REFUSE,
            verdict={"outcome": REFUSE, "evidence": verdict.evidence, "reason": verdict.reason},
            file_name=None,
        )
        await remove_unused_files([row.file_name], instance.media)
        return
    await ApiUpload.filter(id=row.pk).update(
        state=verdict.outcome,
        verdict={"outcome": verdict.outcome, "evidence": verdict.evidence},
    )


async def own_upload(instance: Instance, actor: Actor, upload_id: str) -> ApiUpload | None:
    """The member's upload, screening restarted if a restart cut it short."""
    if not upload_id.isdigit() or len(upload_id) > 19:
        return None
    row = await ApiUpload.get_or_none(id=int(upload_id), actor=actor)
    if row is not None and row.state == SCREENING:
        start_screening(instance, row)
    return row


class NotReady(PostError):
    """Mastodon's answer to a status naming media still in process; apps retry on it."""


async def uploads_for_status(
    instance: Instance, actor: Actor, media_ids: list[str]
) -> list[tuple[ApiUpload, Upload]]:
    """The uploads a status names, in its order, as drafts' uploads with their verdicts."""
    found = []
    for media_id in media_ids:
        row = await own_upload(instance, actor, media_id)
        if row is None:
            raise PostError(f"there is no upload {media_id} of yours")
        if row.state == SCREENING:
            raise NotReady(
                "Cannot attach files that have not finished processing. Try again in a moment!"
            )
        if row.state == REFUSE or row.file_name is None:
            reason = (row.verdict or {}).get("reason") or "it was refused"
            raise PostError(f"upload {media_id} cannot be posted: {reason}")
        data = await instance.media.get(row.file_name)
        verdict = Verdict(row.verdict["outcome"], row.verdict["evidence"])
        found.append((row, Upload(data, row.description, verdict, (row.focus_x, row.focus_y))))
    return found


async def discard(instance: Instance, rows: list[ApiUpload]) -> None:
    """Drop uploads and their waiting copies: once they are a post's images (which have
    files of their own), or forgotten."""
    names = [row.file_name for row in rows if row.file_name]
    await ApiUpload.filter(id__in=[row.pk for row in rows]).delete()
    await remove_unused_files(names, instance.media)
