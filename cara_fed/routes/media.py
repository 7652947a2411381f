"""Serving media files: by content-addressed name only, with validators for caches.

Wherever the files live, /media/NAME is their address. From the media directory, and from a
bucket in proxy mode, this route answers the file itself with the same headers (the app adds
the no-AI ones to every response). In redirect mode it sends the browser to the bucket's
public URL, whose CDN or proxy must add those headers (checked when `serve` starts,
cara_fed/media_storage.py). Either way only a name a visible row uses is served, and never a
private one: the pattern admits `local/` and `remote/` names only."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from quart import Blueprint, Response, redirect, request

from cara_fed.media_storage import PRESIGNED_REDIRECT_CACHE, public_url, redirects
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error
from cara_fed.store.media import is_served
from cara_fed.store.media_store import CONTENT_TYPES, PUBLIC_CACHE, MediaStoreError

bp = Blueprint("media", __name__)
# A remote image's thumbnail is named after the image it was made from: `<hash>.thumb.<ext>`.
NAME = re.compile(r"^(local|remote)/([0-9a-f]{64}(?:\.thumb)?)\.(jpg|png|webp|gif)$")
# A redirect may be kept a while: the name's content never changes, and when the file goes
# the bucket answers 404 for it.
REDIRECT_CACHE = "public, max-age=3600"


@bp.get("/media/<path:name>")
async def media(name: str) -> Response:
    match = NAME.match(name)
    if not match:
        return error(404, "no such media file")
    if not await is_served(name):
        return error(404, "no such media file")
    instance = current_instance()
    if redirects(instance.config):
        response = redirect(public_url(instance.config, instance.media, name), 302)
        presigned = instance.config.media.s3_serve == "presigned"
        cache = PRESIGNED_REDIRECT_CACHE if presigned else REDIRECT_CACHE
        response.headers["Cache-Control"] = cache
        return response
    etag = f'"{match.group(2)}"'
    store = instance.media
    try:
        if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            # A cache revalidating: ask when the file was stored, without reading it.
            modified = await store.modified(name)
            if modified is None:
                return error(404, "no such media file")
            if _not_modified(etag, modified):
                return Response(b"", status=304, headers=_headers(etag, modified))
        stored = await store.read(name)
    except MediaStoreError:
        return error(503, "media storage is not answering; try again later")
    if stored is None:
        return error(404, "no such media file")
    return Response(
        stored.data,
        content_type=CONTENT_TYPES[match.group(3)],
        headers=_headers(etag, stored.modified),
    )


def _headers(etag: str, modified: datetime) -> dict[str, str]:
    return {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": PUBLIC_CACHE,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }


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
