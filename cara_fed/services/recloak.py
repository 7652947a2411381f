"""Changing a work's cloak after upload (another strength, or none), and publishing a work
whose artist checks the cloak first.

A new strength queues a new cloak job for each image and takes the work's older jobs away
(their lease goes, so a running child is stopped and its result dropped: the worker's `finish`
no longer matches). The current rendition stays visible until the new one is done; then the
worker's publish_if_ready publishes the work, or, if it is public already, sends followers an
Update(Note) with the new images. Off makes the clean rendition at once, as an uncloaked
upload is made (cloak.rendition.prepare_image, with the rights XMP and Content Credentials)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from cara_fed.services.cloak_choice import OFF, CloakChoiceError, parse_choice
from cara_fed.services.credentials import made_as, signed_renditions
from cara_fed.services.post_input import PostError
from cara_fed.services.publishing import publish_if_ready
from cara_fed.services.rights import rights_statement
from cara_fed.store.media import remove_unused_files, rendition_fields, store_published_image
from cara_fed.store.models import Actor, CloakJob, MediaAttachment, Post
from cloak.rendition import PreparedImage, prepare_image

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def change_cloak(instance: Instance, author: Actor, post: Post, choice: str | None) -> None:
    """Cloak the work's images again at `choice` (a strength's name), or publish them clean
    (`off`). Refused, changing nothing, for anything else."""
    if not instance.config.cloak.enabled:
        raise CloakChoiceError("this instance does not run the cloak")
    choice = parse_choice(choice)
    if choice is None:
        raise CloakChoiceError("choose off or a strength for the cloak")
    images = await MediaAttachment.filter(post=post).order_by("position")
    if not images or any(not m.original_file for m in images):
        raise PostError("this work's originals are not kept here, so it cannot be cloaked again")
    clean = [await _clean(instance, author, post, m) for m in images] if choice == OFF else []
    old_files = [n for m in images for n in (m.file_name, m.thumb_file) if n]
    now = instance.clock.now()
    async with in_transaction():
        await CloakJob.filter(attachment_id__in=[m.pk for m in images], state="pending").update(
            state="done", lease_until=None, finished_at=now, error=f"replaced by cloak {choice}"
        )
        if choice == OFF:
            for image, fields in zip(images, clean, strict=True):
                await MediaAttachment.filter(id=image.pk).update(
                    **fields, cloak_state="none", cloak_report=None
                )
        else:
            await MediaAttachment.filter(post=post).update(cloak_state="pending")
            await CloakJob.bulk_create(
                [CloakJob(attachment=m, next_attempt_at=now, strength=choice) for m in images]
            )
        post.cloak_strength = choice
        await post.save(update_fields=["cloak_strength"])
        if choice == OFF:
            await publish_if_ready(instance, post)
    if choice == OFF:
        await remove_unused_files(old_files, instance.media)
    instance.wake_workers()


async def _clean(
    instance: Instance, author: Actor, post: Post, image: MediaAttachment
) -> dict[str, object]:
    """Render, sign and store the uncloaked rendition of one image; its columns."""
    config = instance.config
    data = await instance.media.get(image.original_file or "")
    prepared: PreparedImage = await asyncio.to_thread(
        prepare_image,
        data,
        max_pixels=config.media.max_pixels,
        max_published_pixels=config.media.max_published_pixels,
        quality=config.media.jpeg_quality,
        xmp=rights_statement(instance, author),
        publish=True,
    )
    assert prepared.published is not None and prepared.thumbnail is not None  # publish=True
    original = prepared.original
    published, thumb = await signed_renditions(
        instance,
        author,
        made_as(author, post),
        (original.width, original.height),
        (prepared.published, prepared.thumbnail),
        cloaked=False,
    )
    name = await store_published_image(instance.media, published)
    thumb_name = await store_published_image(instance.media, thumb)
    return rendition_fields(published, name, thumb, thumb_name)


def review_state(post: Post, images: list[MediaAttachment]) -> str:
    """Where a work stands for its artist: "public"; "cloaking" while a job runs; "failed"
    when a cloak failed; "ready" when it waits for the artist's Publish."""
    if not post.cloak_pending:
        return "public"
    if any(m.cloak_state == "pending" for m in images):
        return "cloaking"
    if any(m.cloak_state == "failed" for m in images):
        return "failed"
    return "ready"


async def publish_checked(instance: Instance, author: Actor, post: Post) -> None:
    """The artist has looked at the cloak and publishes the work: as the last cloak job
    would have (visible, dated now, a Create to followers), unless moderation holds it."""
    state = review_state(post, await MediaAttachment.filter(post=post))
    if state == "public":
        raise PostError("this work is public already")
    if state == "cloaking":
        raise PostError("its images are still being cloaked: publish it when they are done")
    if state == "failed":
        raise PostError("the cloak of an image failed: cloak it again before publishing")
    async with in_transaction():
        await publish_if_ready(instance, post, checked=True)
    instance.wake_workers()
