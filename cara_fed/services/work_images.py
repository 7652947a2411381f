"""Changing the images of a published work: add, replace, remove, reorder.

Mastodon lets an edit change a post's media, and applies the attachments of an Update(Note)
(ActivityPub::ProcessStatusUpdateService); every change here reaches followers' servers so.
An image added to a cloaked work is cloaked like the others and stays hidden until it is done:
pages and peers see it then, by a further Update (publishing.publish_if_ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from cara_fed.services.cloak_choice import job_strength
from cara_fed.services.credentials import made_as
from cara_fed.services.post_input import (
    MAX_IMAGES,
    PostError,
    Upload,
    alt_text_required,
    check_alt_texts,
)
from cara_fed.services.posting import attachment_files, attachment_of_upload, store_uploads
from cara_fed.services.publishing import send_update
from cara_fed.store.media import remove_unused_files
from cara_fed.store.models import Actor, CloakJob, MediaAttachment, Post
from inbox.screening.types import REVIEW

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def _images(post: Post) -> list[MediaAttachment]:
    return await MediaAttachment.filter(post=post).order_by("position")


def _find(images: list[MediaAttachment], media_id: int) -> MediaAttachment:
    for image in images:
        if image.pk == media_id:
            return image
    raise PostError("this work has no such image (was it removed already?)")


def _is_cloaked(images: list[MediaAttachment]) -> bool:
    """A work's new images are cloaked when its images are: one work, one treatment."""
    return any(m.cloak_state != "none" for m in images)


async def _store(
    instance: Instance, author: Actor, post: Post, uploads: list[Upload], cloaked: bool
):
    check_alt_texts([u.alt for u in uploads], required=alt_text_required(instance, author))
    stored = await store_uploads(
        instance,
        author,
        uploads,
        text=post.content,
        cloaked=cloaked,
        visibility=post.visibility,
        declared=made_as(author, post),
    )
    if any(s.verdict.outcome == REVIEW for s in stored):
        await remove_unused_files(
            [n for s in stored for n in (s.original_file, s.published_file, s.thumb_file) if n],
            instance.media,
        )
        raise PostError(
            "an admin must look at this image before it is shown: publish it as a new work, "
            "which waits for their review, rather than adding it to a published one"
        )
    return stored


async def _renumber(images: list[MediaAttachment]) -> None:
    for position, image in enumerate(images):
        if image.position != position:
            image.position = position
            await image.save(update_fields=["position"])


async def _saved(instance: Instance, author: Actor, post: Post) -> None:
    """Date the edit and tell followers' servers; inside the caller's transaction."""
    post.updated = instance.clock.now()
    await post.save(update_fields=["updated"])
    await send_update(instance, author, post)


async def add_images(
    instance: Instance, author: Actor, post: Post, uploads: list[Upload]
) -> list[MediaAttachment]:
    """Append images to a work, after its last one."""
    images = await _images(post)
    if not uploads:
        raise PostError("choose at least one image to add")
    if len(images) + len(uploads) > MAX_IMAGES:
        raise PostError(
            f"a work can have at most {MAX_IMAGES} images; this one has {len(images)}: "
            f"make an album to gather more"
        )
    cloaked = _is_cloaked(images)
    stored = await _store(instance, author, post, uploads, cloaked)
    added = [attachment_of_upload(post, len(images) + i, s) for i, s in enumerate(stored)]
    async with in_transaction():
        for image in added:
            await image.save()
            if cloaked:
                await CloakJob.create(
                    attachment=image,
                    next_attempt_at=instance.clock.now(),
                    strength=job_strength(instance, post),
                )
        await _saved(instance, author, post)
    instance.wake_workers()
    return added


async def replace_image(
    instance: Instance, author: Actor, post: Post, media_id: int, upload: Upload
) -> MediaAttachment:
    """Put a new image in an old one's place; an empty alt text keeps the old one's."""
    images = await _images(post)
    old = _find(images, media_id)
    upload = Upload(upload.data, upload.alt if upload.alt.strip() else old.description)
    (stored,) = await _store(instance, author, post, [upload], _is_cloaked(images))
    new = attachment_of_upload(post, old.position, stored)
    old_files = await attachment_files(post, [old.pk])
    async with in_transaction():
        await old.delete()
        await new.save()
        if new.cloak_state == "pending":
            await CloakJob.create(
                attachment=new,
                next_attempt_at=instance.clock.now(),
                strength=job_strength(instance, post),
            )
        await _saved(instance, author, post)
    await remove_unused_files(old_files, instance.media)
    instance.wake_workers()
    return new


async def remove_image(instance: Instance, author: Actor, post: Post, media_id: int) -> None:
    images = await _images(post)
    gone = _find(images, media_id)
    if len(images) == 1:
        raise PostError("a work needs at least one image: delete the work instead")
    old_files = await attachment_files(post, [gone.pk])
    async with in_transaction():
        await gone.delete()
        await _renumber([m for m in images if m.pk != gone.pk])
        await _saved(instance, author, post)
    await remove_unused_files(old_files, instance.media)
    instance.wake_workers()


async def move_image(
    instance: Instance, author: Actor, post: Post, media_id: int, offset: int
) -> None:
    """Move an image one place earlier (-1) or later (+1); the first image is the cover."""
    images = await _images(post)
    image = _find(images, media_id)
    index = images.index(image)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(images):
        raise PostError("that image cannot move further that way")
    images[index], images[target] = images[target], images[index]
    async with in_transaction():
        await _renumber(images)
        await _saved(instance, author, post)
    instance.wake_workers()
