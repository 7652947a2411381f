"""Mastodon's markers (docs.joinmastodon.org/methods/markers): where the member stopped
reading `home` and `notifications`, kept per member so that another app, or the web's unread
count, picks up where they left off."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.convert.to_api import timestamp
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error, body_params
from cara_fed.routes.negotiation import json_response
from cara_fed.store.api_models import Marker
from cara_fed.store.notifications import mark_read

bp = Blueprint("api_markers", __name__)
TIMELINES = ("home", "notifications")


def _document(marker: Marker) -> dict:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": timestamp(marker.updated_at),
    }


@bp.get("/api/v1/markers")
async def show() -> Response:
    token = await authorized("read:statuses")
    if isinstance(token, Response):
        return token
    wanted = [t for t in request.args.getlist("timeline[]") if t in TIMELINES] or TIMELINES
    rows = await Marker.filter(member=token.actor, timeline__in=list(wanted))
    return json_response({row.timeline: _document(row) for row in rows})


@bp.post("/api/v1/markers")
async def save() -> Response:
    """`home[last_read_id]` and `notifications[last_read_id]`, as a form or JSON."""
    token = await authorized("write:statuses")
    if isinstance(token, Response):
        return token
    params = await body_params()
    changed = {}
    for timeline in TIMELINES:
        nested = params.get(timeline)
        value = nested.get("last_read_id") if isinstance(nested, dict) else None
        value = value or params.get(f"{timeline}[last_read_id]")
        if value is None:
            continue
        if not str(value).isdigit() or len(str(value)) > 19:
            return api_error(422, f"{timeline}[last_read_id] must be an id")
        changed[timeline] = _document(await mark_read(token.actor, timeline, int(value)))
    if not changed:
        return api_error(422, "say home[last_read_id] or notifications[last_read_id]")
    return json_response(changed)
