"""Media files are content-addressed and may be shared by several rows: a file is removed
only when no row names it any more. Where they live is the media store's business
(cara_fed/store/media_store.py: the media directory or a bucket)."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from cara_fed.store.media_store import MediaStore
from cara_fed.store.models import Actor, MediaAttachment
from cloak.sanitize import PublishedImage


def shown_media(post) -> QuerySet[MediaAttachment]:
    """A post's images as pages and peers see them, in order: accepted by screening and with
    a published file (an image added to a work is hidden until its cloak is done)."""
    return MediaAttachment.filter(
        post=post, screening_verdict="accept", file_name__not_isnull=True
    ).order_by("position")


async def media_by_post(
    post_ids, *, accepted_only: bool = True
) -> dict[int, list[MediaAttachment]]:
    """The images of these posts, in order, by post id: every page and feed shows them so.
    `accepted_only` leaves out what screening held or refused. An image with no file yet
    (still being cloaked) is never shown."""
    query = MediaAttachment.filter(post_id__in=list(post_ids), file_name__not_isnull=True)
    if accepted_only:
        query = query.filter(screening_verdict="accept")
    grouped: dict[int, list[MediaAttachment]] = {}
    for m in await query.order_by("position"):
        grouped.setdefault(m.post_id, []).append(m)  # type: ignore[attr-defined]
    return grouped


async def thumbnail_in_use(file_name: str) -> tuple[str, int, int] | None:
    """The thumbnail (name, width, height) a row already uses for this file, if any."""
    row = (
        await MediaAttachment.filter(
            file_name=file_name,
            thumb_file__isnull=False,
            thumb_width__isnull=False,
            thumb_height__isnull=False,
        )
        .first()
        .values_list("thumb_file", "thumb_width", "thumb_height")
    )
    return (row[0], row[1], row[2]) if row else None


async def media_files(query: QuerySet[MediaAttachment]) -> list[str]:
    """Every file these rows use (full copies, thumbnails, private originals): what to pass
    to remove_unused_files once the rows are gone."""
    rows = await query.values_list("file_name", "thumb_file", "original_file")
    return [name for names in rows for name in names if name]


def rendition_fields(
    image: PublishedImage, name: str, thumb: PublishedImage, thumb_name: str
) -> dict[str, object]:
    """The columns of an attachment that describe its published rendition (and thumbnail):
    what the cloak worker and a change of cloak write when a new rendition replaces one."""
    return {
        "file_name": name,
        "media_type": image.media_type,
        "width": image.width,
        "height": image.height,
        "blurhash": image.blurhash,
        "thumb_file": thumb_name,
        "thumb_width": thumb.width,
        "thumb_height": thumb.height,
        "size_bytes": len(image.data),
        "sha256": image.sha256,
    }


async def store_published_image(store: MediaStore, image: PublishedImage) -> str:
    """Store a local image we publish under its content hash; returns its media name."""
    return await _store(store, "local", image)


async def _store(store: MediaStore, folder: str, image: PublishedImage) -> str:
    name = f"{folder}/{image.sha256}.{image.extension}"
    await store.put_once(name, image.data)
    return name


async def is_served(name: str) -> bool:
    """A media file is public while a visible attachment or a local profile names it, and
    its account is not suspended."""
    if await MediaAttachment.filter(
        Q(file_name=name) | Q(thumb_file=name),
        post__deleted_at=None,
        post__held=False,
        post__cloak_pending=False,
        post__author__suspended_at=None,
        screening_verdict="accept",
    ).exists():
        return True
    profile_images = Q(avatar_file=name) | Q(header_file=name)
    return await Actor.filter(local=True, suspended_at=None).filter(profile_images).exists()


async def remove_unused_files(file_names: list[str], store: MediaStore) -> None:
    for name in set(file_names):
        if (
            not await MediaAttachment.filter(
                Q(file_name=name) | Q(thumb_file=name) | Q(original_file=name)
            ).exists()
            and not await Actor.filter(Q(avatar_file=name) | Q(header_file=name)).exists()
        ):
            await store.delete(name)


async def store_private_original(store: MediaStore, image: PublishedImage) -> str:
    """Keep the artist's clean original under private/, a prefix the media route never
    serves (nor, in a bucket, its public URL): what is published is a rendition (cloaked,
    scaled) made from it."""
    return await _store(store, "private", image)
