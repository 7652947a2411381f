"""Follow requests of a member who approves followers by hand, decided from an app as on
the web (/follow-requests): the same decision, the same Accept or Reject sent."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.errors import UserError
from cara_fed.routes.api.accounts import account_document, relationship_document
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import follow_requests
from cara_fed.store.models import Actor

bp = Blueprint("api_follow_requests", __name__)


@bp.get("/api/v1/follow_requests")
async def pending() -> Response:
    token = await authorized("read:follows", "follow")
    if isinstance(token, Response):
        return token
    requests = await follow_requests.pending_requests(token.actor)
    return json_response([await account_document(r.follower) for r in requests])


async def _decide(account_id: str, accept: bool) -> Response:
    token = await authorized("write:follows", "follow")
    if isinstance(token, Response):
        return token
    follower = await Actor.get_or_none(id=int(account_id)) if account_id.isdigit() else None
    if follower is None:
        return api_error(404, "Record not found")
    try:
        await follow_requests.decide(current_instance(), token.actor, follower.uri, accept=accept)
    except UserError:
        return api_error(404, "Record not found")
    return json_response(await relationship_document(token.actor, follower))


@bp.post("/api/v1/follow_requests/<account_id>/authorize")
async def authorize(account_id: str) -> Response:
    return await _decide(account_id, True)


@bp.post("/api/v1/follow_requests/<account_id>/reject")
async def reject(account_id: str) -> Response:
    return await _decide(account_id, False)
