"""What apps call as they start and cannot do without, for features this server does not
have yet: an empty answer of the right shape, never a 404 (Ivory, Elk and Tusky stop on one).
Each needs a token as on Mastodon, except trends, which Mastodon serves to anyone."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.routes.api.auth import authorized
from cara_fed.routes.negotiation import json_response

bp = Blueprint("api_stubs", __name__)

EMPTY_LISTS = (
    "/api/v1/filters",
    "/api/v2/filters",
    "/api/v1/lists",
    "/api/v1/announcements",
    "/api/v1/followed_tags",
    "/api/v1/conversations",
    "/api/v1/scheduled_statuses",
    "/api/v1/endorsements",
    "/api/v1/featured_tags",
)


async def _empty_list() -> Response:
    token = await authorized("read")
    if isinstance(token, Response):
        return token
    return json_response([])


for _path in EMPTY_LISTS:
    bp.add_url_rule(_path, f"empty_{_path.replace('/', '_')}", _empty_list, methods=["GET"])


@bp.get("/api/v1/trends/statuses")
@bp.get("/api/v1/trends/tags")
@bp.get("/api/v1/trends/links")
@bp.get("/api/v1/trends")
async def trends() -> Response:
    return json_response([])


@bp.get("/api/v1/preferences")
async def preferences() -> Response:
    token = await authorized("read:accounts")
    if isinstance(token, Response):
        return token
    return json_response(
        {
            "posting:default:visibility": "public",
            "posting:default:sensitive": False,
            "posting:default:language": None,
            "reading:expand:media": "default",
            "reading:expand:spoilers": False,
        }
    )
