"""What every client-API answer shares: JSON errors as Mastodon writes them, request bodies
in either of the forms apps send, and CORS (Mastodon's rack-cors rules), so that web apps on
other origins (Elk, Phanpy) can call the API with a token but never with our cookies."""

from __future__ import annotations

from typing import Any

from quart import Quart, Response, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services.throttle import Throttle

# Mastodon's cors.rb: the API and the token endpoints answer any origin, without credentials.
CORS_PREFIXES = ("/api/", "/oauth/token", "/oauth/revoke", "/.well-known/", "/nodeinfo/")
EXPOSED = "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id"
METHODS = "POST, PUT, DELETE, GET, PATCH, OPTIONS"


def api_error(status: int, message: str) -> Response:
    return json_response({"error": message}, status=status)


async def body_params() -> dict[str, Any]:
    """Form fields or a JSON object, whichever the app sent (Mastodon takes both). A JSON
    body that is not an object is taken as empty; the endpoint then says what is missing."""
    if request.is_json:
        data = await request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    form = await request.form
    return {key: form.get(key) for key in form}


async def throttled(
    what: str, throttle: Throttle | None = None, who: str | None = None
) -> Response | None:
    """429 when this address (or member, `who`) has done `what` too often of late; otherwise
    counts this time. App registrations and token requests count per address."""
    throttle = throttle or current_instance().token_throttle
    key = [f"{what}:{who or request.remote_addr}"]
    now = current_instance().clock.now()
    wait = await throttle.retry_after(key, now)
    if wait:
        response = api_error(429, "Too many requests")
        response.headers["Retry-After"] = str(wait)
        return response
    await throttle.record(key, now)
    return None


def install_cors(app: Quart) -> None:
    @app.before_request
    async def preflight() -> Response | None:
        if request.method == "OPTIONS" and request.path.startswith(CORS_PREFIXES):
            response = Response("", status=204)
            asked = request.headers.get("Access-Control-Request-Headers")
            if asked:
                response.headers["Access-Control-Allow-Headers"] = asked
            response.headers["Access-Control-Max-Age"] = "7200"
            return response
        return None

    @app.after_request
    async def cors(response: Response) -> Response:
        if request.path.startswith(CORS_PREFIXES):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = METHODS
            response.headers["Access-Control-Expose-Headers"] = EXPOSED
        return response
