"""GET /healthz for load balancers and monitors: 200 when this process can reach what it
serves from (the database answers a query; the media directory is there and writable, or
the bucket answers), 503 naming what failed. No sign-in and nothing private in it; never
cached."""

from __future__ import annotations

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


@bp.get("/healthz")
async def healthz() -> Response:
    checks = {"database": await _database(), "media": await current_instance().media.check()}
    healthy = all(value == "ok" for value in checks.values())
    response = json_response(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
    response.headers["Cache-Control"] = "no-store"
    return response
