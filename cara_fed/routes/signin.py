"""Signing in and out of the web pages, and the signed-in landing page.

Sessions are server-side (cara_fed/services/sessions.py) behind an HttpOnly, SameSite=Lax
cookie, Secure when the instance is served over https. Every form carries a CSRF token: the
session's once signed in, and before that a double-submit cookie. POSTs that a browser marks
as coming from another site are refused outright. Failed sign-ins are rate limited per
address and per account name.
"""

from __future__ import annotations

import hmac
import secrets
import time

from quart import Blueprint, Response, current_app, redirect, render_template, request

from cara_fed.services import sessions
from cara_fed.store.models import WebSession

bp = Blueprint("signin", __name__)

SESSION_COOKIE = "cara_session"
CSRF_COOKIE = "cara_csrf"


def _instance():
    return current_app.config["INSTANCE"]


def _set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=_instance().urls.base.startswith("https://"),
        path="/",
    )


def cross_site() -> bool:
    """Whether the browser says this request comes from another site (Fetch Metadata, or an
    Origin that is not ours). Clients that send neither, like curl, are not browsers and
    cannot be tricked into sending our cookie."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin != _instance().urls.base


async def _page(template: str, status: int = 200, **values) -> Response:
    return Response(await render_template(template, **values), status=status, mimetype="text/html")


async def current_session() -> WebSession | None:
    return await sessions.current(request.cookies.get(SESSION_COOKIE), _instance().clock.now())


async def _refused(message: str, status: int = 403) -> Response:
    return await _page("message.html", status, title="Not allowed", message=message)


def _same_token(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(given, expected)


@bp.get("/login")
async def login_form() -> Response:
    if await current_session():
        return redirect("/home", 303)
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = await _page("login.html", csrf=token, username="", error=None)
    _set_cookie(response, CSRF_COOKIE, token, max_age=3600)
    return response


@bp.post("/login")
async def login() -> Response:
    if cross_site():
        return await _refused("a sign-in from another site is not accepted")
    form = await request.form
    csrf = request.cookies.get(CSRF_COOKIE)
    if not _same_token(form.get("csrf"), csrf):
        return await _refused(
            "the form has expired or did not come from this site: reload the page and try again"
        )
    username = (form.get("username") or "").strip().lower()
    password = form.get("password") or ""
    throttle = _instance().login_throttle
    keys = [f"addr:{request.remote_addr}", f"name:{username}"]
    wait = throttle.retry_after(keys, time.monotonic())
    if wait:
        response = await _refused(
            f"too many failed sign-ins: try again in {wait // 60 + 1} minutes", status=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    person = await sessions.authenticate(username, password)
    if person is None:
        throttle.failed(keys, time.monotonic())
        return await _page(
            "login.html", 401, csrf=csrf, username=username, error="wrong name or password"
        )
    throttle.succeeded(keys)
    token, _ = await sessions.start(person, _instance().clock.now())
    response = redirect("/home", 303)
    _set_cookie(response, SESSION_COOKIE, token, max_age=sessions.SESSION_DAYS * 86400)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@bp.post("/logout")
async def logout() -> Response:
    if cross_site():
        return await _refused("a sign-out from another site is not accepted")
    session = await current_session()
    if session is None:
        return redirect("/login", 303)
    form = await request.form
    if not _same_token(form.get("csrf"), session.csrf_token):
        return await _refused("the form has expired: reload the page and try again")
    await sessions.end(request.cookies.get(SESSION_COOKIE))
    response = redirect("/", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@bp.get("/home")
async def home() -> Response:
    session = await current_session()
    if session is None:
        return redirect("/login", 303)
    return await _page("signed_in.html", person=session.actor, csrf=session.csrf_token)
