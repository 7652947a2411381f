"""What every HTML page and form shares: the signed-in viewer, CSRF and cross-site checks,
rendering with the right status, and the refusal page.

Sessions are server-side (cara_fed/services/sessions.py) behind an HttpOnly, SameSite=Lax
cookie. Every form carries a CSRF token (the session's once signed in), and POSTs that a
browser marks as coming from another site are refused outright."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from quart import Response, g, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from cara_fed.routes.current import current_instance
from cara_fed.services import sessions, signups, two_factor
from cara_fed.services.throttle import Throttle
from cara_fed.store.models import Actor, WebSession
from cara_fed.store.notifications import unread_count
from cara_fed.store.safety_models import Report

SESSION_COOKIE = "cara_session"
CSRF_COOKIE = "cara_csrf"


def cross_site() -> bool:
    """Whether the browser says this request comes from another site (Fetch Metadata, or an
    Origin that is not ours). Clients that send neither, like curl, are not browsers and
    cannot be tricked into sending our cookie."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin != current_instance().urls.base


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(given, expected)


async def current_session() -> WebSession | None:
    """The viewer's session, looked up once per request."""
    if "web_session" not in g:
        token = request.cookies.get(SESSION_COOKIE)
        session = await sessions.current(token, current_instance().clock.now())
        usable = session and session.actor.approved and session.actor.suspended_at is None
        g.web_session = session if usable else None
    return g.web_session


async def current_viewer() -> Actor | None:
    """The signed-in member looking at the page, or None for a visitor."""
    session = await current_session()
    return session.actor if session else None


async def page(template: str, status: int = 200, **values: Any) -> Response:
    return Response(await render_template(template, **values), status=status, mimetype="text/html")


def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=current_instance().urls.base.startswith("https://"),
        path="/",
    )


async def anonymous_page(template: str, status: int = 200, **values: Any) -> Response:
    """A page with a form for someone not signed in (sign-in, sign-up, a forgotten password):
    the double-submit token in the form and in its cookie, for anonymous_form to compare."""
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = await page(template, status, csrf=token, **values)
    set_cookie(response, CSRF_COOKIE, token, max_age=3600)
    return response


async def refused(message: str, status: int = 403, title: str = "Not allowed") -> Response:
    return await page("message.html", status, title=title, message=message)


async def over_limit(
    throttle: Throttle, keys: list[str], now: datetime, what: str
) -> Response | None:
    """The 429 page (with Retry-After) when `throttle` allows no more for `keys`, or None.
    `what` says what there were too many of: "failed sign-ins", "wrong codes"."""
    wait = await throttle.retry_after(keys, now)
    if not wait:
        return None
    response = await refused(
        f"too many {what}: try again in {wait // 60 + 1} minutes", 429, "Too many attempts"
    )
    response.headers["Retry-After"] = str(wait)
    return response


def sign_in_first() -> Response:
    target = request.full_path.rstrip("?") if request.method == "GET" else "/home"
    # Encoded, so a page's own query (?uri=…&x=1) stays inside next=; slashes and @ kept.
    return redirect(f"/login?next={quote(target, safe='/@')}", 303)


@dataclass
class SignedInForm:
    session: WebSession
    form: MultiDict
    files: MultiDict

    @property
    def person(self) -> Actor:
        return self.session.actor


async def signed_in_form() -> SignedInForm | Response:
    """A POST from our own pages by a signed-in member, or the response refusing it."""
    if cross_site():
        return await refused("a form sent from another site is not accepted")
    session = await current_session()
    if session is None:
        return sign_in_first()
    form = await request.form
    if not same_token(form.get("csrf"), session.csrf_token):
        return await refused(
            "the form has expired or did not come from this site: reload the page and try again"
        )
    return SignedInForm(session, form, await request.files)


async def anonymous_form(what: str) -> MultiDict | Response:
    """A form of someone not signed in (sign-in, sign-up), or the response refusing it: it
    must come from our own page, which set the double-submit token in a cookie and the form."""
    if cross_site():
        return await refused(f"a {what} from another site is not accepted")
    form = await request.form
    if not same_token(form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
        return await refused(
            "the form has expired or did not come from this site: reload the page and try again"
        )
    return form


def page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def viewer_values() -> dict[str, Any]:
    """For every template: who is signed in (for the navigation), their form token and, for
    admins, how many sign-ups wait and how many reports are open (counted only for them: two
    queries on their pages alone); and how many notifications the member has not read."""
    session = await current_session()
    admin = session is not None and session.actor.admin
    return {
        "viewer": session.actor if session else None,
        "viewer_csrf": session.csrf_token if session else None,
        "waiting_signups": await signups.waiting_count() if admin else 0,
        "open_reports": await Report.filter(state="open").count() if admin else 0,
        "unread_notifications": await unread_count(session.actor) if session else 0,
    }


async def admin_session(refusal: str) -> WebSession | Response:
    """An admin's session for an admin page, or the answer: sign in first (anonymous), or
    403 with `refusal` (a member who is not an admin)."""
    session = await current_session()
    if session is None:
        return sign_in_first()
    if not session.actor.admin:
        return await refused(refusal)
    if await _needs_second_factor(session.actor):
        return await refused(SECOND_FACTOR_FIRST)
    return session


SECOND_FACTOR_FIRST = (
    "admins of this instance must turn on two-factor sign-in (on /settings/two-factor) "
    "before the admin pages open to them"
)


async def _needs_second_factor(admin: Actor) -> bool:
    required = current_instance().config.instance.require_two_factor_for_admins
    return required and not await two_factor.enabled(admin)


async def admin_form(refusal: str) -> SignedInForm | Response:
    """An admin's POST (session, CSRF, same site, then the role), or the refusal."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    if not form.person.admin:
        return await refused(refusal)
    if await _needs_second_factor(form.person):
        return await refused(SECOND_FACTOR_FIRST)
    return form
