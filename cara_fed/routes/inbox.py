"""The personal and shared inboxes: POST only, answered 202 once the activity is on disk."""

from __future__ import annotations

import logging

from quart import Blueprint, Response

from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error, json_response
from cara_fed.routes.signed import BodyTooLarge, WrongHost, incoming, read_body
from inbox.receive import Refused, receive

bp = Blueprint("inbox", __name__)
log = logging.getLogger(__name__)


async def _receive() -> Response:
    instance = current_instance()
    retry_after = await instance.backpressure.retry_after()
    if retry_after is not None:
        return _behind(instance.backpressure.reading.backlog_seconds, retry_after)
    limit = instance.config.federation.max_inbox_body_bytes
    try:
        body = await read_body(limit)
    except BodyTooLarge:
        return error(413, f"the body is larger than {limit} bytes")
    try:
        result = await receive(incoming(body), instance.inbox_context, instance.signature_window())
    except WrongHost as exc:
        return error(400, str(exc))
    except Refused as refused:
        log.info("inbox refused (%d): %s", refused.status, refused.message)
        response = error(refused.status, refused.message)
        if refused.retry_after is not None:  # not for good: come back later
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    if result.stored:
        instance.wake_inbound()
    return json_response({"status": result.message}, status=result.status)


def _behind(backlog_seconds: float, retry_after: int) -> Response:
    """Refused before reading a byte of the body: nothing was stored, the sender retries."""
    response = error(
        503,
        f"this server is behind on incoming activities (about {backlog_seconds:.0f} s of "
        f"work waiting); nothing was stored, send it again in {retry_after} s",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.post("/inbox")
async def shared_inbox() -> Response:
    return await _receive()


@bp.post("/users/<username>/inbox")
async def personal_inbox(username: str) -> Response:
    # A sign-up still waiting for approval does not exist to other servers yet (its actor and
    # WebFinger answer 404 too), so nothing is delivered to it.
    if not await current_instance().inbox_owners.exists(username):
        return error(404, f"there is no account named {username} here")
    return await _receive()


@bp.post("/actor/inbox")
async def instance_actor_inbox() -> Response:
    return await _receive()
