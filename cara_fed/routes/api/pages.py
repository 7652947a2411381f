"""A page of statuses as Mastodon answers one: the entities, and a Link header that names
the next page (older, `max_id`) and the previous one (newer, `min_id`)."""

from __future__ import annotations

from quart import Response, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_statuses
from cara_fed.store.models import Actor, Post


def link_header(newest_id: int, oldest_id: int) -> str:
    """Mastodon's Link header: `next` is older than this page, `prev` newer; the request's
    other parameters (a tag, a filter) are kept."""
    base = current_instance().urls.base + request.path
    keep = "".join(
        f"&{key}={value}"
        for key, value in request.args.items(multi=True)
        if key not in ("max_id", "min_id", "since_id")
    )
    older = f"{base}?max_id={oldest_id}{keep}"
    newer = f"{base}?min_id={newest_id}{keep}"
    return f'<{older}>; rel="next", <{newer}>; rel="prev"'


def with_links(response: Response, ids: list[int]) -> Response:
    if ids:
        response.headers["Link"] = link_header(ids[0], ids[-1])
    return response


async def paged(viewer: Actor | None, posts: list[Post]) -> Response:
    response = json_response(await api_statuses.statuses(current_instance(), viewer, posts))
    return with_links(response, [p.pk for p in posts])
