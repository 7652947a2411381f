"""Content negotiation and JSON responses for ActivityPub clients."""

from __future__ import annotations

import json
from typing import Any

from quart import Response, request

from activitypub.vocab import AS_JSON

AS_CONTENT_TYPE = f"{AS_JSON}; charset=utf-8"


def wants_activitypub() -> bool:
    """True when the client asks for ActivityStreams (either of the two media types)."""
    accept = request.headers.get("Accept", "").lower()
    return AS_JSON in accept or "application/ld+json" in accept


def as_response(doc: dict[str, Any], status: int = 200) -> Response:
    response = Response(
        json.dumps(doc, ensure_ascii=False), status=status, content_type=AS_CONTENT_TYPE
    )
    response.headers["Vary"] = "Accept, Signature"
    return response


def json_response(doc: Any, content_type: str = "application/json", status: int = 200) -> Response:
    return Response(
        json.dumps(doc, ensure_ascii=False),
        status=status,
        content_type=f"{content_type}; charset=utf-8",
    )


def error(status: int, message: str) -> Response:
    """Errors as JSON with a sentence a person can act on (Mastodon's shape: {"error": ...})."""
    return json_response({"error": message}, status=status)
