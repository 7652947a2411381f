"""GET /api/v2/search: accounts, a post by its URL, hashtags (cara_fed/services/api_search.py
says what is and is not searched)."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.routes.api.accounts import account_document
from cara_fed.routes.api.auth import optional_viewer
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_search, api_statuses

bp = Blueprint("api_search", __name__)


@bp.get("/api/v2/search")
async def search() -> Response:
    viewer = await optional_viewer("read:search")
    if isinstance(viewer, Response):
        return viewer
    instance = current_instance()
    raw_limit = request.args.get("limit", "")
    limit = min(int(raw_limit), 40) if raw_limit.isdigit() and int(raw_limit) > 0 else 20
    found = await api_search.search(
        instance,
        viewer,
        request.args.get("q", ""),
        request.args.get("type") or None,
        request.args.get("resolve", "").lower() in ("true", "1"),
        limit,
    )
    return json_response(
        {
            "accounts": [await account_document(a) for a in found.accounts],
            "statuses": await api_statuses.statuses(instance, viewer, found.statuses),
            "hashtags": [
                {"name": tag, "url": instance.urls.tag(tag), "history": []}
                for tag in found.hashtags
            ],
        }
    )
