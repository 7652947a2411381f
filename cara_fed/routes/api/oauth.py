"""OAuth 2 for apps, as Mastodon does it: register (POST /api/v1/apps), a member consents on
a page of ours (GET/POST /oauth/authorize, signed in by the web's own session and CSRF
token), the app trades the code for a token (POST /oauth/token), and drops it again
(POST /oauth/revoke). The server's metadata (RFC 8414) tells apps where each is."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from quart import Blueprint, Response, redirect, request

from cara_fed.convert import to_api
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error, body_params, throttled
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.routes.web import current_session, page, refused, sign_in_first, signed_in_form
from cara_fed.services import oauth
from cara_fed.services.scopes import covers

bp = Blueprint("api_oauth", __name__)

# What a consent page says each top-level grant lets the app do, in the member's words.
ABILITIES = {
    "profile": "see your name and profile",
    "read": "read your account, feed, notifications and the posts you can see",
    "write": "post, edit and delete works, upload images, favourite and boost as you",
    "follow": "follow and unfollow accounts, and see whom you follow",
    "push": "send you notifications",
}


def _abilities(scopes: tuple[str, ...]) -> list[str]:
    lines = [text for scope, text in ABILITIES.items() if scope in scopes]
    fine = [
        s
        for s in scopes
        if s not in ABILITIES and not any(covers((p,), s) for p in scopes if p in ABILITIES)
    ]
    return lines + [f"use the “{scope}” permission" for scope in fine]


def _oauth_error(exc: oauth.OAuthError) -> Response:
    response = json_response(
        {"error": exc.error, "error_description": exc.description}, status=exc.status
    )
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="{exc.error}"'
    return response


@bp.get("/.well-known/oauth-authorization-server")
async def metadata() -> Response:
    return json_response(to_api.oauth_metadata(current_instance().urls))


@bp.post("/api/v1/apps")
async def register_app() -> Response:
    limited = await throttled("apps")
    if limited:
        return limited
    params = await body_params()
    uris = params.get("redirect_uris")
    if not isinstance(uris, (str, list)) and uris is not None:
        return api_error(422, "Validation failed: Redirect URI must be a string or a list")
    try:
        registered = await oauth.register_app(
            _text(params.get("client_name")),
            uris,
            _text(params.get("scopes")),
            _text(params.get("website")),
        )
    except oauth.AppError as exc:
        return api_error(422, str(exc))
    return json_response(to_api.credential_application(registered.app, registered.client_secret))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@bp.get("/api/v1/apps/verify_credentials")
async def verify_app() -> Response:
    token = await authorized(member=False)
    if isinstance(token, Response):
        return token
    return json_response(to_api.application(token.app))


async def _checked(values) -> oauth.AuthorizationRequest | Response:
    try:
        return await oauth.check_authorization(
            values.get("client_id"),
            values.get("redirect_uri"),
            values.get("response_type"),
            values.get("scope"),
            values.get("state"),
            values.get("code_challenge"),
            values.get("code_challenge_method"),
        )
    except oauth.AppError as exc:
        return await refused(str(exc), status=400, title="This app cannot sign in here")


@bp.get("/oauth/authorize")
async def authorize_form() -> Response:
    checked = await _checked(request.args)
    if isinstance(checked, Response):
        return checked
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await page(
        "oauth_authorize.html",
        app=checked.app,
        request=checked,
        person=session.actor,
        abilities=_abilities(checked.scopes),
        csrf=session.csrf_token,
    )


def _back_to_app(redirect_uri: str, values: dict[str, str]) -> Response:
    glue = "&" if urlsplit(redirect_uri).query else "?"
    return redirect(redirect_uri + glue + urlencode(values), 302)


@bp.post("/oauth/authorize")
async def authorize() -> Response:
    submitted = await signed_in_form()
    if isinstance(submitted, Response):
        return submitted
    checked = await _checked(submitted.form)
    if isinstance(checked, Response):
        return checked
    state = {"state": checked.state} if checked.state is not None else {}
    if submitted.form.get("decision") != "allow":
        if checked.redirect_uri == oauth.OOB:
            return await refused("You did not authorise the app.", 200, title="Not authorised")
        return _back_to_app(
            checked.redirect_uri,
            {
                "error": "access_denied",
                "error_description": "The resource owner or authorization server denied the "
                "request.",
                **state,
            },
        )
    code = await oauth.issue_code(checked, submitted.person, current_instance().clock.now())
    if checked.redirect_uri == oauth.OOB:
        return await page("oauth_code.html", code=code, app_name=checked.app.name)
    return _back_to_app(checked.redirect_uri, {"code": code, **state})


def _client_credentials(params: dict) -> tuple[str | None, str | None]:
    """From the body (client_secret_post) or an HTTP Basic header (client_secret_basic)."""
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        return auth.username, auth.password
    return _text(params.get("client_id")), _text(params.get("client_secret"))


@bp.post("/oauth/token")
async def token() -> Response:
    limited = await throttled("token")
    if limited:
        return limited
    params = await body_params()
    grant = params.get("grant_type")
    try:
        if grant not in ("authorization_code", "client_credentials"):
            raise oauth.OAuthError(
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            )
        app = await oauth.authenticate_client(*_client_credentials(params))
        if grant == "authorization_code":
            issued = await oauth.redeem_code(
                app,
                _text(params.get("code")),
                _text(params.get("redirect_uri")),
                _text(params.get("code_verifier")),
                current_instance().clock.now(),
            )
        else:
            issued = await oauth.client_token(app, _text(params.get("scope")))
    except oauth.OAuthError as exc:
        return _oauth_error(exc)
    response = json_response(to_api.token(issued.token, issued.row.scopes, issued.row.created_at))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/oauth/revoke")
async def revoke() -> Response:
    params = await body_params()
    try:
        app = await oauth.authenticate_client(*_client_credentials(params))
        await oauth.revoke(app, _text(params.get("token")))
    except oauth.OAuthError as exc:
        if exc.error == "invalid_client":
            exc = oauth.OAuthError(
                "unauthorized_client", "You are not authorized to revoke this token", 403
            )
        return _oauth_error(exc)
    return json_response({})
