"""Serving media files: by content-addressed name only, with validators for caches."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from quart import Blueprint, Response, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error
from cara_fed.store.media import is_served

bp = Blueprint("media", __name__)
# A remote image's thumbnail is named after the image it was made from: `<hash>.thumb.<ext>`.
NAME = re.compile(r"^(local|remote)/([0-9a-f]{64}(?:\.thumb)?)\.(jpg|png|webp|gif)$")
TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


@bp.get("/media/<path:name>")
async def media(name: str) -> Response:
    match = NAME.match(name)
    if not match:
        return error(404, "no such media file")
    if not await is_served(name):
        return error(404, "no such media file")
    path = current_instance().config.media_dir / name
    if not path.is_file():
        return error(404, "no such media file")
    etag = f'"{match.group(2)}"'
    stat = path.stat()
    modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }
    if _not_modified(etag, modified):
        return Response(b"", status=304, headers=headers)
    data = await asyncio.to_thread(path.read_bytes)
    return Response(data, content_type=TYPES[match.group(3)], headers=headers)


def _not_modified(etag: str, modified: datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match == "*"
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since) >= modified
        except (TypeError, ValueError):
            return False
    return False
