"""Fetching a remote post's images, as Mastodon does, so that they can be screened and what
members see does not depend on the origin staying up. Each image is fetched through the
guarded client with a size cap and checked to be an image by its bytes. What we keep gets a
thumbnail for grids and feeds, as Mastodon makes a `small` version of remote media."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from functools import cached_property

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
    data: bytes | None
    info: ImageInfo | None
    error: str | None = None

    @cached_property
    def sha256(self) -> str | None:
        """Computed once: the batch, the cache file's name and the row all use it."""
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None


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
    ) -> None:
        self._client = client
        # Where the cache lives: the media directory or a bucket, as the instance's media.
        self.files = files
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels
        self._quality = jpeg_quality

    async def fetch(self, attachment: Attachment) -> FetchedMedia:
        """A temporary failure (peer down, 5xx, 429) raises FetchError so the inbound job is
        retried; a permanent one (4xx, not an image, too large, a forbidden address) comes
        back with `error` set: what cannot be screened is never shown."""
        try:
            response = await self._client.request(
                "GET",
                attachment.url,
                headers={"Accept": "image/*"},
                max_bytes=self._max_bytes,
                follow_redirects=True,
            )
        except (ResponseTooLarge, BlockedAddress, BlockedDomain) as exc:
            return FetchedMedia(None, None, str(exc))
        if response.status >= 500 or response.status == 429:
            raise FetchError(f"GET {attachment.url} answered {response.status}; will retry")
        if response.status != 200:
            return FetchedMedia(None, None, f"GET {attachment.url} answered {response.status}")
        try:
            info = await asyncio.to_thread(inspect_image, response.body, self._max_pixels)
        except BadImage as exc:
            return FetchedMedia(None, None, str(exc))
        return FetchedMedia(response.body, info)

    async def store(self, media: FetchedMedia) -> StoredMedia:
        """Keep a screened image in the cache under its content hash, with its thumbnail
        beside it (`<hash>.thumb.<ext>`), so every post that carries the image shares both."""
        assert media.data is not None and media.info is not None
        stem = f"remote/{media.sha256}"
        file_name = f"{stem}.{media.info.extension}"
        await self.files.put_once(file_name, media.data)
        info = media.info
        if fits_thumbnail(info.width, info.height):
            return StoredMedia(file_name, file_name, info.width, info.height)
        known = await storage.thumbnail_in_use(file_name)
        if known is not None and await self.files.exists(known[0]):
            return StoredMedia(file_name, *known)  # the same image, again (an edit, a repost)
        try:
            thumb = await asyncio.to_thread(
                thumbnail_of_received,
                media.data,
                max_pixels=self._max_pixels,
                quality=self._quality,
            )
        except Exception as exc:  # an optional rendition: the image is kept and shown without
            log.warning("no thumbnail for %s (%s): %s", file_name, type(exc).__name__, exc)
            return StoredMedia(file_name, None, None, None)
        thumb_name = f"{stem}.thumb.{thumb.extension}"
        await self.files.put_once(thumb_name, thumb.data)
        return StoredMedia(file_name, thumb_name, thumb.width, thumb.height)
