"""Fetching a remote post's images, as Mastodon does, so that they can be screened and what
members see does not depend on the origin staying up. Each image is fetched through the
guarded client with a size cap and checked to be an image by its bytes."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

from activitypub.note import Attachment
from cara_fed.store.files import write_atomically
from cloak.imaging import BadImage, ImageInfo, inspect_image
from federation.http_client import (
    BlockedAddress,
    BlockedDomain,
    FetchError,
    GuardedClient,
    ResponseTooLarge,
)


@dataclass(frozen=True)
class FetchedMedia:
    data: bytes | None
    info: ImageInfo | None
    error: str | None = None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None


class RemoteMedia:
    def __init__(
        self, client: GuardedClient, media_dir: Path, *, max_bytes: int, max_pixels: int
    ) -> None:
        self._client = client
        self.root = media_dir
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels

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

    async def store(self, media: FetchedMedia) -> str:
        """Keep a screened image in the cache under its content hash; returns its name."""
        assert media.data is not None and media.info is not None
        file_name = f"remote/{media.sha256}.{media.info.extension}"
        path = self.root / file_name
        if not path.exists():
            await asyncio.to_thread(write_atomically, path, media.data)
        return file_name
