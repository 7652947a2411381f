"""Accounts in the client API. The signed-in member's own account first: every app calls
verify_credentials right after signing in, and shows what it answers."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.convert import to_api
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_accounts

bp = Blueprint("api_accounts", __name__)


@bp.get("/api/v1/accounts/verify_credentials")
async def verify_credentials() -> Response:
    token = await authorized("read:accounts", "profile")
    if isinstance(token, Response):
        return token
    person = token.actor
    facts = await api_accounts.facts(person)
    requests = await api_accounts.pending_follow_requests(person)
    return json_response(
        to_api.credential_account(person, facts, current_instance().urls, requests)
    )
