"""Fetching a remote post's images, as Mastodon does, so that they can be screened and what
members see does not depend on the origin staying up. Each image is fetched through the
guarded client with a size cap and checked to be an image by its bytes. What we keep gets a
thumbnail for grids and feeds, as Mastodon makes a `small` version of remote media.

Images go to a spool file as they arrive, not into memory: a post may carry twenty images of
tens of megabytes each, and several posts are handled at once. Each is read back whole only
while it is inspected, screened or stored, one at a time. All of one post's fetching shares a
time budget (`budget_seconds`), so a peer that trickles each image just inside the per-request
timeout cannot hold a worker's slot for minutes."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from activitypub.note import Attachment
from cloak.imaging import BadImage, ImageInfo, inspect_image
from cloak.rendition import fits_thumbnail, thumbnail_of_received
from federation.http_client import (
    BlockedAddress,
    BlockedDomain,
    FetchError,
    GuardedClient,
    ResponseTooLarge,
)
from inbox import storage
from inbox.screening.types import Verdict
from inbox.storage import MediaStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedMedia:
    """An image in the spool (`path`), with its hash and size taken as it was written; or,
    when it could not be had, `error` and no path."""

    path: Path | None
    info: ImageInfo | None
    error: str | None = None
    sha256: str | None = None
    size: int | None = None

    def read(self) -> bytes:
        assert self.path is not None
        return self.path.read_bytes()


class _SpoolFile:
    """A download's sink: the bytes go to a file, hashed and counted on the way."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def start(self) -> None:
        self._file.seek(0)
        self._file.truncate()
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def close(self) -> None:
        self._file.close()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class MediaBudgetSpent(FetchError):
    """A post's images took longer than the budget in all: the activity is tried again
    later (the peer may be quicker), and after the last attempt it fails."""

    def __init__(self, message: str) -> None:
        super().__init__(message, transient=True)


@dataclass(frozen=True)
class StoredMedia:
    """Names (in the media store) of a cached image and of its thumbnail, which is the
    cached file itself when the image already fits a thumbnail, and None when none could be
    made: grids then fall back to the full copy."""

    file_name: str
    thumb_file: str | None
    thumb_width: int | None
    thumb_height: int | None


@dataclass(frozen=True)
class ScreenedImage:
    """One attachment after fetching and screening; `kept` is its stored copy, if any."""

    fetched: FetchedMedia
    verdict: Verdict
    kept: StoredMedia | None = None
    # What its Content Credentials said, judged (inbox/credentials_check.py); None: none.
    credentials: dict | None = None


class RemoteMedia:
    def __init__(
        self,
        client: GuardedClient,
        files: MediaStore,
        *,
        max_bytes: int,
        max_pixels: int,
        jpeg_quality: int,
        spool_root: Path | None = None,
        budget_seconds: float = 120.0,
    ) -> None:
        self._client = client
        self._spool_root = spool_root
        self.budget_seconds = budget_seconds
        # Where the cache lives: the media directory or a bucket, as the instance's media.
        self.files = files
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels
        self._quality = jpeg_quality

    @contextlib.asynccontextmanager
    async def spool(self) -> AsyncIterator[Path]:
        """A directory of one's own for one post's downloads, removed afterwards whatever
        happens (a handler that fails leaves nothing behind)."""
        if self._spool_root is not None:
            await asyncio.to_thread(self._spool_root.mkdir, parents=True, exist_ok=True)
        where = Path(await asyncio.to_thread(tempfile.mkdtemp, dir=self._spool_root))
        try:
            yield where
        finally:
            await asyncio.to_thread(shutil.rmtree, where, True)

    async def fetch(self, attachment: Attachment, spool: Path, index: int) -> FetchedMedia:
        """Download into `spool`. A temporary failure (peer down, 5xx, 429) raises FetchError
        so the inbound job is retried; a permanent one (4xx, not an image, too large, a
        forbidden address) comes back with `error` set: what cannot be screened is never
        shown."""
        sink = _SpoolFile(spool / f"{index}.download")
        try:
            try:
                response = await self._client.request(
                    "GET",
                    attachment.url,
                    headers={"Accept": "image/*"},
                    max_bytes=self._max_bytes,
                    follow_redirects=True,
                    into=sink,
                )
            finally:
                sink.close()
        except (ResponseTooLarge, BlockedAddress, BlockedDomain) as exc:
            return FetchedMedia(None, None, str(exc))
        if response.status >= 500 or response.status == 429:
            raise FetchError(f"GET {attachment.url} answered {response.status}; will retry")
        if response.status != 200:
            return FetchedMedia(None, None, f"GET {attachment.url} answered {response.status}")
        try:
            info = await asyncio.to_thread(inspect_image, sink.path, self._max_pixels)
        except BadImage as exc:
            return FetchedMedia(None, None, str(exc))
        return FetchedMedia(sink.path, info, sha256=sink.sha256, size=sink.size)

    async def store(self, media: FetchedMedia) -> StoredMedia:
        """Keep a screened image in the cache under its content hash, with its thumbnail
        beside it (`<hash>.thumb.<ext>`), so every post that carries the image shares both."""
        assert media.path is not None and media.info is not None
        stem = f"remote/{media.sha256}"
        file_name = f"{stem}.{media.info.extension}"
        data = await asyncio.to_thread(media.read)
        await self.files.put_once(file_name, data)
        info = media.info
        if fits_thumbnail(info.width, info.height):
            return StoredMedia(file_name, file_name, info.width, info.height)
        known = await storage.thumbnail_in_use(file_name)
        if known is not None and await self.files.exists(known[0]):
            return StoredMedia(file_name, *known)  # the same image, again (an edit, a repost)
        try:
            thumb = await asyncio.to_thread(
                thumbnail_of_received,
                data,
                max_pixels=self._max_pixels,
                quality=self._quality,
            )
        except Exception as exc:  # an optional rendition: the image is kept and shown without
            log.warning("no thumbnail for %s (%s): %s", file_name, type(exc).__name__, exc)
            return StoredMedia(file_name, None, None, None)
        thumb_name = f"{stem}.thumb.{thumb.extension}"
        await self.files.put_once(thumb_name, thumb.data)
        return StoredMedia(file_name, thumb_name, thumb.width, thumb.height)
