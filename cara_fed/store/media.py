"""Media files on disk are content-addressed and may be shared by several rows: a file is
removed only when no row names it any more."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tortoise.expressions import Q

from cara_fed.store.files import write_atomically
from cara_fed.store.models import Actor, MediaAttachment
from cloak.sanitize import PublishedImage


def write_published_image(media_dir: Path, image: PublishedImage) -> str:
    """Store a sanitised local image under its content hash; returns its media name."""
    name = f"local/{image.sha256}.{image.extension}"
    path = media_dir / name
    if not path.exists():
        write_atomically(path, image.data)
    return name


async def is_served(name: str) -> bool:
    """A media file is public while a visible attachment or a local profile names it."""
    if await MediaAttachment.exists(
        file_name=name, post__deleted_at=None, post__held=False, screening_verdict="accept"
    ):
        return True
    return await Actor.filter(local=True).filter(Q(avatar_file=name) | Q(header_file=name)).exists()


def _unlink_inside(media_dir: Path, name: str) -> None:
    path = (media_dir / name).resolve()
    if media_dir.resolve() in path.parents:
        path.unlink(missing_ok=True)


async def remove_unused_files(file_names: list[str], media_dir: Path) -> None:
    for name in set(file_names):
        if (
            not await MediaAttachment.exists(file_name=name)
            and not await Actor.filter(Q(avatar_file=name) | Q(header_file=name)).exists()
        ):
            await asyncio.to_thread(_unlink_inside, media_dir, name)
