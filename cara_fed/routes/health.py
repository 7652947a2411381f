"""GET /healthz for load balancers and monitors: 200 when this process can reach what it
serves from (the database answers a query, the media directory is there and writable), 503
naming what failed. No sign-in and nothing private in it; never cached."""

from __future__ import annotations

import os

from quart import Blueprint, Response
from tortoise import connections

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response

bp = Blueprint("health", __name__)


async def _database() -> str:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # whatever the driver raises, the answer is "not reachable"
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def _media() -> str:
    """The media directory, or before the first image is stored (it is made then) the data
    directory that will hold it."""
    config = current_instance().config
    folder = config.media_dir if config.media_dir.exists() else config.data_dir
    if not folder.is_dir():
        return f"not a directory: {folder}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"not writable: {folder}"
    return "ok"


@bp.get("/healthz")
async def healthz() -> Response:
    checks = {"database": await _database(), "media": _media()}
    healthy = all(value == "ok" for value in checks.values())
    response = json_response(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
    response.headers["Cache-Control"] = "no-store"
    return response
