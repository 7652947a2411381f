"""OAuth 2 for the client API (RFC 6749 as Mastodon's Doorkeeper applies it): apps register
themselves, a member consents on the web and the app trades the code for a token (with PKCE,
RFC 7636, when the app uses it), or an app takes a token of its own. Only SHA-256 digests of
secrets, codes and tokens are stored; they are compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from cara_fed.errors import UserError
from cara_fed.services import scopes as scope_rules
from cara_fed.store.api_models import OAuthApp, OAuthCode, OAuthToken
from cara_fed.store.models import Actor

OOB = "urn:ietf:wg:oauth:2.0:oob"
CODE_MINUTES = 10
# A token's last use is written at most this often: reads must not each cost a commit.
LAST_USED_EVERY = timedelta(hours=1)


class AppError(UserError):
    """A registration the server refuses (422 with the message, as Mastodon answers)."""


class OAuthError(Exception):
    """An OAuth error response (RFC 6749 §5.2): `error` code, description, HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _matches(secret: str | None, stored_digest: str) -> bool:
    return bool(secret) and hmac.compare_digest(digest(secret), stored_digest)


def check_redirect_uri(uri: str) -> str:
    """An absolute URI an app may be sent back to, or the out-of-band marker. Custom schemes
    (`myapp://callback`) are how phone apps receive the code, so any scheme is allowed except
    the ones a browser would run."""
    uri = uri.strip()
    if uri == OOB:
        return uri
    parts = urlsplit(uri)
    if not parts.scheme or not (parts.netloc or parts.path) or parts.fragment:
        raise AppError(f"Validation failed: Redirect URI {uri!r} must be an absolute URI.")
    if parts.scheme.lower() in ("javascript", "data", "vbscript", "file"):
        raise AppError(f"Validation failed: Redirect URI cannot use the {parts.scheme} scheme.")
    return uri


def split_redirect_uris(value: str | list[str] | None) -> list[str]:
    """Mastodon takes one string (several joined by newlines, as Mastodon.py sends them) or
    a list."""
    items = value if isinstance(value, list) else (value or "").split("\n")
    uris = [check_redirect_uri(item) for item in items if str(item).strip()]
    if not uris:
        raise AppError("Validation failed: Redirect URI can't be blank")
    return uris


@dataclass(frozen=True)
class Registered:
    app: OAuthApp
    client_secret: str  # shown once, in the registration's answer


async def register_app(
    name: str | None,
    redirect_uris: str | list[str] | None,
    scopes: str | None,
    website: str | None,
) -> Registered:
    name = (name or "").strip()
    if not name or len(name) > 255:
        raise AppError("Validation failed: Application name must be 1 to 255 characters")
    uris = split_redirect_uris(redirect_uris)
    try:
        granted = scope_rules.parse(scopes)
    except scope_rules.ScopeError as exc:
        raise AppError(f"Validation failed: {exc}") from None
    website = (website or "").strip() or None
    if website and urlsplit(website).scheme not in ("http", "https"):
        raise AppError("Validation failed: Website must be an http(s) URL")
    secret = secrets.token_urlsafe(32)
    app = await OAuthApp.create(
        name=name,
        website=website,
        redirect_uris="\n".join(uris),
        scopes=" ".join(granted),
        client_id=secrets.token_urlsafe(32),
        client_secret_hash=digest(secret),
    )
    return Registered(app, secret)


def app_scopes(app: OAuthApp) -> tuple[str, ...]:
    return tuple(app.scopes.split())


def app_redirect_uris(app: OAuthApp) -> list[str]:
    return app.redirect_uris.split("\n")


async def app_for_client(client_id: str | None) -> OAuthApp | None:
    return await OAuthApp.get_or_none(client_id=client_id) if client_id else None


async def authenticate_client(client_id: str | None, client_secret: str | None) -> OAuthApp:
    app = await app_for_client(client_id)
    if app is None or not _matches(client_secret, app.client_secret_hash):
        raise OAuthError(
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication "
            "included, or unsupported authentication method.",
            401,
        )
    return app


@dataclass(frozen=True)
class AuthorizationRequest:
    """A checked GET /oauth/authorize: what the consent page shows and its form repeats."""

    app: OAuthApp
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None


async def check_authorization(
    client_id: str | None,
    redirect_uri: str | None,
    response_type: str | None,
    scope: str | None,
    state: str | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> AuthorizationRequest:
    """Raises AppError with a sentence for the error page: a request this bad is never
    redirected back, since its redirect_uri cannot be trusted (RFC 6749 §4.1.2.1)."""
    app = await app_for_client(client_id)
    if app is None:
        raise AppError("No app is registered here with that client_id.")
    if redirect_uri not in app_redirect_uris(app):
        raise AppError("The redirect_uri is not one the app registered.")
    if response_type != "code":
        raise AppError("Only response_type=code is supported.")
    try:
        asked = scope_rules.parse(scope) if scope else app_scopes(app)
    except scope_rules.ScopeError as exc:
        raise AppError(str(exc)) from None
    if not scope_rules.within(asked, app_scopes(app)):
        raise AppError("The app asks for more than it registered for.")
    if code_challenge and (code_challenge_method or "plain") != "S256":
        raise AppError("The code challenge method must be S256, plain is unsupported.")
    return AuthorizationRequest(app, redirect_uri, asked, state, code_challenge or None)


async def issue_code(request: AuthorizationRequest, person: Actor, now: datetime) -> str:
    code = secrets.token_urlsafe(32)
    await OAuthCode.create(
        code_hash=digest(code),
        app=request.app,
        actor=person,
        redirect_uri=request.redirect_uri,
        scopes=" ".join(request.scopes),
        code_challenge=request.code_challenge,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    return code


def _pkce_answer(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


INVALID_GRANT = (
    "The provided authorization grant is invalid, expired, revoked, does not match the "
    "redirection URI used in the authorization request, or was issued to another client."
)


@dataclass(frozen=True)
class Issued:
    token: str
    row: OAuthToken


async def _new_token(app: OAuthApp, person: Actor | None, granted: str) -> Issued:
    token = secrets.token_urlsafe(32)
    row = await OAuthToken.create(token_hash=digest(token), app=app, actor=person, scopes=granted)
    return Issued(token, row)


async def redeem_code(
    app: OAuthApp,
    code: str | None,
    redirect_uri: str | None,
    verifier: str | None,
    now: datetime,
) -> Issued:
    """The code is used up whatever the outcome: a code tried twice is a code leaked."""
    if not code:
        raise OAuthError("invalid_request", "Missing required parameter: code.")
    row = await OAuthCode.get_or_none(code_hash=digest(code)).prefetch_related("actor")
    # Deleted first, in its own commit, so that a failed try uses it up too; of two
    # concurrent tries only the one whose delete took the row goes on.
    if row is not None and not await OAuthCode.filter(code_hash=row.code_hash).delete():
        row = None
    if (
        row is None
        or row.app_id != app.pk
        or row.expires_at <= now
        or row.redirect_uri != redirect_uri
        or not row.actor.approved
    ):
        raise OAuthError("invalid_grant", INVALID_GRANT)
    if row.code_challenge is not None and not (
        verifier and hmac.compare_digest(_pkce_answer(verifier), row.code_challenge)
    ):
        raise OAuthError("invalid_grant", INVALID_GRANT)
    return await _new_token(app, row.actor, row.scopes)


async def client_token(app: OAuthApp, scope: str | None) -> Issued:
    try:
        asked = scope_rules.parse(scope)
    except scope_rules.ScopeError:
        asked = ()
    if not asked or not scope_rules.within(asked, app_scopes(app)):
        raise OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
    return await _new_token(app, None, " ".join(asked))


async def revoke(app: OAuthApp, token: str | None) -> bool:
    """Revoke one of the app's tokens; unknown tokens are no error (RFC 7009 §2.2)."""
    if not token:
        return False
    row = await OAuthToken.get_or_none(token_hash=digest(token))
    if row is None:
        return False
    if row.app_id != app.pk:
        raise OAuthError("unauthorized_client", "You are not authorized to revoke this token", 403)
    await row.delete()
    return True


async def bearer(token: str | None, now: datetime) -> OAuthToken | None:
    """The token row behind an Authorization header's token, with its app and member."""
    if not token:
        return None
    row = await OAuthToken.get_or_none(token_hash=digest(token)).prefetch_related("app", "actor")
    if row is None or (row.actor is not None and not row.actor.approved):
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        await OAuthToken.filter(token_hash=row.token_hash).update(last_used_at=now)
    return row


async def authorised_apps(person: Actor) -> list[tuple[OAuthApp, int, datetime | None]]:
    """The apps holding tokens of `person`: (app, how many tokens, last used)."""
    rows = await OAuthToken.filter(actor=person).prefetch_related("app").order_by("-created_at")
    apps: dict[int, tuple[OAuthApp, int, datetime | None]] = {}
    for row in rows:
        app, count, last = apps.get(row.app_id, (row.app, 0, None))
        used = row.last_used_at or row.created_at
        apps[row.app_id] = (app, count + 1, max(last, used) if last else used)
    return list(apps.values())


async def revoke_app(person: Actor, app_id: int) -> int:
    """Sign the app out of `person`'s account: every token it holds for them goes."""
    return await OAuthToken.filter(actor=person, app_id=app_id).delete()
