"""Media files on disk are content-addressed and may be shared by several rows: a file is
removed only when no row names it any more."""

from __future__ import annotations

import asyncio
from pathlib import Path

from cara_fed.store.models import MediaAttachment


def _unlink_inside(media_dir: Path, name: str) -> None:
    path = (media_dir / name).resolve()
    if media_dir.resolve() in path.parents:
        path.unlink(missing_ok=True)


async def remove_unused_files(file_names: list[str], media_dir: Path) -> None:
    for name in set(file_names):
        if not await MediaAttachment.exists(file_name=name):
            await asyncio.to_thread(_unlink_inside, media_dir, name)
