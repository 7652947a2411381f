"""GET /metrics in Prometheus's text format, for the operator only: off unless
`[server] metrics_token` is set, and then only with `Authorization: Bearer <token>` (a
Prometheus scrape config's `authorization`), so a reverse proxy that forwards every path
exposes nothing. Without the right token it is a 404, as if it were not there."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry
from quart import Blueprint, Response, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error
from cara_fed.services import metrics

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
async def scrape() -> Response:
    instance = current_instance()
    token = instance.config.server.metrics_token
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return error(404, "not found")
    registry = CollectorRegistry()
    registry.register(metrics.Snapshot(await metrics.collect(instance.clock.now())))
    response = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
