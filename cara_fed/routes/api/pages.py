"""A page of statuses as Mastodon answers one: the entities, and a Link header that names
the next page (older, `max_id`) and the previous one (newer, `min_id`)."""

from __future__ import annotations

from quart import Response, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_statuses
from cara_fed.store.models import Actor, Post


async def paged(viewer: Actor | None, posts: list[Post]) -> Response:
    response = json_response(await api_statuses.statuses(current_instance(), viewer, posts))
    if posts:
        base = current_instance().urls.base + request.path
        keep = [
            f"{key}={value}"
            for key, value in request.args.items(multi=True)
            if key not in ("max_id", "min_id", "since_id")
        ]
        extra = "".join(f"&{item}" for item in keep)
        response.headers["Link"] = (
            f'<{base}?max_id={posts[-1].pk}{extra}>; rel="next", '
            f'<{base}?min_id={posts[0].pk}{extra}>; rel="prev"'
        )
    return response
