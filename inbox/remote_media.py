"""Fetching a remote post's images into the local media cache, as Mastodon does, so that what
members see does not depend on the origin staying up. Each image is fetched through the guarded
client with a size cap, checked to be an image by its bytes, and screened before it is kept."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

from activitypub.note import Attachment
from cloak.imaging import BadImage, ImageInfo, inspect_image
from federation.http_client import FetchError, GuardedClient
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
        self._dir = media_dir / "remote"
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels

    async def cache(self, attachment: Attachment, context: MediaContext) -> CachedMedia:
        try:
            response = await self._client.request(
                "GET",
                attachment.url,
                headers={"Accept": "image/*"},
                max_bytes=self._max_bytes,
                follow_redirects=True,
            )
            if response.status != 200:
                raise FetchError(f"GET {attachment.url} answered {response.status}")
            data = response.body
            info = await asyncio.to_thread(inspect_image, data, self._max_pixels)
        except (FetchError, BadImage) as exc:
            return CachedMedia(None, None, None, None, Verdict("accept"), error=str(exc))
        verdict = await asyncio.to_thread(screen_media, data, context)
        digest = hashlib.sha256(data).hexdigest()
        if verdict.outcome == "refuse":
            return CachedMedia(None, info, len(data), digest, verdict)
        file_name = f"remote/{digest}.{info.extension}"
        path = self._dir / f"{digest}.{info.extension}"
        if not path.exists():
            await asyncio.to_thread(_write_atomically, path, data)
        return CachedMedia(file_name, info, len(data), digest, verdict)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
