"""Who is calling the API: a bearer token, and nothing else. The web session's cookie never
authenticates /api/* (so no page of another site can make a member's browser act through the
API); a missing or unknown token is 401, a token without the scope 403, an app's own token
where a member is needed 422, each with Mastodon's message."""

from __future__ import annotations

from quart import Response, request

from cara_fed.routes.api.responses import api_error
from cara_fed.routes.current import current_instance
from cara_fed.services import oauth
from cara_fed.services.scopes import covers
from cara_fed.store.api_models import OAuthToken
from cara_fed.store.models import Actor


def _bearer() -> str | None:
    kind, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if kind.lower() == "bearer" and token.strip() else None


async def authorized(*scopes: str, member: bool = True) -> OAuthToken | Response:
    """The request's token if it holds any of `scopes` (itself or through a parent), else
    the refusal to return."""
    row = await oauth.bearer(_bearer(), current_instance().clock.now())
    if row is None:
        return api_error(401, "The access token is invalid")
    granted = tuple(row.scopes.split())
    if scopes and not any(covers(granted, scope) for scope in scopes):
        return api_error(403, "This action is outside the authorized scopes")
    if member and row.actor is None:
        return api_error(422, "This method requires an authenticated user")
    return row


async def optional_viewer(*scopes: str) -> Actor | Response | None:
    """For what Mastodon shows without signing in (the public and tag timelines): no token
    is an anonymous viewer; a token given must be valid and hold the scope."""
    if _bearer() is None:
        return None
    token = await authorized(*scopes)
    return token if isinstance(token, Response) else token.actor
