"""On cloaked → publish: the child's output becomes the image's rendition (encoded as the
original was, the rights statement written after the cloak, then its Content Credentials signed over
both), the job is done, and the post publishes when its last image is."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image
from tortoise.transactions import in_transaction

from cara_fed.services.credentials import made_as, signed_renditions
from cara_fed.services.publishing import publish_if_ready
from cara_fed.store.media import remove_unused_files, rendition_fields, store_published_image
from cara_fed.store.models import CloakJob, MediaAttachment
from cara_fed.store.notifications import notify_member
from cara_fed.store.queue import finish
from cloak.rendition import thumbnail_of
from cloak.sanitize import PublishedImage, encode_image

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def publishable(
    cloaked: Path, original: bytes, quality: int, xmp: str | None
) -> tuple[PublishedImage, tuple[int, int]]:
    """The child's lossless output, encoded as the original was (format, ICC profile), with
    the rights statement written after the cloak so that nothing re-encodes it away; and the
    original's size (whether the rendition was scaled down, for its Content Credentials)."""
    with Image.open(io.BytesIO(original)) as source:  # we wrote it: JPEG, PNG or WebP, clean
        save_format, icc = source.format or "PNG", source.info.get("icc_profile")
        size = source.size
    with Image.open(cloaked) as image:
        image.load()
        pixels = image.copy()
    pixels.info = {"icc_profile": icc} if icc else {}
    return encode_image(pixels, save_format, quality=quality, xmp=xmp), size


async def publish_cloaked(
    instance: Instance,
    job: CloakJob,
    attachment: MediaAttachment,
    report: dict[str, Any],
    image: PublishedImage,
    xmp: str | None,
    original_size: tuple[int, int],
) -> None:
    thumb = await asyncio.to_thread(
        thumbnail_of, image, quality=instance.config.media.jpeg_quality, xmp=xmp
    )
    post = attachment.post
    image, thumb = await signed_renditions(
        instance, post.author, made_as(post.author, post), original_size, (image, thumb),
        cloaked=True,
    )  # fmt: skip
    name = await store_published_image(instance.media, image)
    thumb_name = await store_published_image(instance.media, thumb)
    # A new cloak of a published image replaces its rendition, which stays until now.
    replaced = [n for n in (attachment.file_name, attachment.thumb_file) if n]
    async with in_transaction():
        kept = await finish(
            CloakJob, job, state="done", finished_at=instance.clock.now(), error=None
        ) and bool(
            await MediaAttachment.filter(id=attachment.pk).update(
                **rendition_fields(image, name, thumb, thumb_name),
                cloak_state="done",
                cloak_report=report,
            )
        )
        if kept:
            await publish_if_ready(instance, attachment.post)
            if not await MediaAttachment.filter(post=post, cloak_state="pending").exists():
                # Cara tells its artists when their protected image is ready; so do we.
                await notify_member(post.author, "cloaked", post.uri)
    # Unless the job or its post went away while we worked (or a newer choice of strength
    # took the job over), the old rendition goes; else the new one.
    await remove_unused_files(replaced if kept else [name, thumb_name], instance.media)
    instance.wake_workers()
