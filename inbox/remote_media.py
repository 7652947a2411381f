"""Fetching a remote post's images into the local media cache, as Mastodon does, so that what
members see does not depend on the origin staying up. Each image is fetched through the guarded
client with a size cap, checked to be an image by its bytes, and screened before it is kept."""

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
    FetchError,
    GuardedClient,
    ResponseTooLarge,
)
from inbox.screening import MediaContext, Verdict, screen_media


@dataclass(frozen=True)
class CachedMedia:
    file_name: str | None
    info: ImageInfo | None
    size: int | None
    sha256: str | None
    verdict: Verdict
    error: str | None = None


class RemoteMedia:
    def __init__(
        self, client: GuardedClient, media_dir: Path, *, max_bytes: int, max_pixels: int
    ) -> None:
        self._client = client
        self.root = media_dir
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels

    async def cache(self, attachment: Attachment, context: MediaContext) -> CachedMedia:
        """Fetch, check and screen one image. A temporary failure (peer down, 5xx, 429)
        raises FetchError so the inbound job is retried; a permanent one (4xx, not an image,
        too large, a forbidden address) is recorded as `unavailable` and never shown, since
        what we could not screen must not reach a feed."""
        try:
            response = await self._client.request(
                "GET",
                attachment.url,
                headers={"Accept": "image/*"},
                max_bytes=self._max_bytes,
                follow_redirects=True,
            )
        except (ResponseTooLarge, BlockedAddress) as exc:
            return _unavailable(str(exc))
        if response.status >= 500 or response.status == 429:
            raise FetchError(f"GET {attachment.url} answered {response.status}; will retry")
        if response.status != 200:
            return _unavailable(f"GET {attachment.url} answered {response.status}")
        data = response.body
        try:
            info = await asyncio.to_thread(inspect_image, data, self._max_pixels)
        except BadImage as exc:
            return _unavailable(str(exc))
        verdict = await asyncio.to_thread(screen_media, data, context)
        digest = hashlib.sha256(data).hexdigest()
        if verdict.outcome == "refuse":
            return CachedMedia(None, info, len(data), digest, verdict)
        file_name = f"remote/{digest}.{info.extension}"
        path = self.root / file_name
        if not path.exists():
            await asyncio.to_thread(write_atomically, path, data)
        return CachedMedia(file_name, info, len(data), digest, verdict)


def _unavailable(reason: str) -> CachedMedia:
    return CachedMedia(
        None,
        None,
        None,
        None,
        Verdict("unavailable", [{"signal": "fetch", "value": reason}]),
        error=reason,
    )
