"""Signing in and out of the web pages, and the signed-in landing page.

Sessions are server-side (cara_fed/services/sessions.py) behind an HttpOnly, SameSite=Lax
cookie, Secure when the instance is served over https. Every form carries a CSRF token: the
session's once signed in, and before that a double-submit cookie. POSTs that a browser marks
as coming from another site are refused outright. Failed sign-ins are rate limited per
address and per account name.
"""

from __future__ import annotations

import secrets

from quart import Blueprint, Response, redirect, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.local_target import local_path
from cara_fed.routes.web import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    anonymous_form,
    cross_site,
    current_session,
    page,
    refused,
    same_token,
)
from cara_fed.services import sessions

bp = Blueprint("signin", __name__)
RESET_DONE = "Your new password is set, and every browser signed in as you is signed out."


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


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another origin."""
    return local_path(target) or "/home"


@bp.get("/login")
async def login_form() -> Response:
    target = safe_next(request.args.get("next"))
    if await current_session():
        return redirect(target, 303)
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    done = RESET_DONE if request.args.get("reset") == "done" else None
    response = await page("login.html", csrf=token, username="", error=None, next=target, done=done)
    set_cookie(response, CSRF_COOKIE, token, max_age=3600)
    return response


@bp.post("/login")
async def login() -> Response:
    form = await anonymous_form("sign-in")
    if isinstance(form, Response):
        return form
    csrf = request.cookies.get(CSRF_COOKIE)
    username = (form.get("username") or "").strip().lower()
    password = form.get("password") or ""
    throttle = current_instance().login_throttle
    now = current_instance().clock.now()
    keys = [f"addr:{request.remote_addr}", f"name:{username}"]
    wait = await throttle.retry_after(keys, now)
    if wait:
        response = await refused(
            f"too many failed sign-ins: try again in {wait // 60 + 1} minutes", status=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    person = await sessions.authenticate(username, password)
    if person is None:
        await throttle.failed(keys, now)
        return await page(
            "login.html",
            401,
            csrf=csrf,
            username=username,
            error="wrong name or password",
            next=safe_next(form.get("next")),
        )
    await throttle.succeeded(keys)
    if not person.approved:
        return await refused(
            "your sign-up is waiting for an admin's approval: you can sign in once it is approved",
            title="Not approved yet",
        )
    return await start_session(person, redirect(safe_next(form.get("next")), 303))


async def start_session(person, response: Response) -> Response:
    """Sign `person` in on `response`: the session cookie set, the sign-in form's token gone."""
    token, _ = await sessions.start(person, current_instance().clock.now())
    set_cookie(response, SESSION_COOKIE, token, max_age=sessions.SESSION_DAYS * 86400)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@bp.post("/logout")
async def logout() -> Response:
    if cross_site():
        return await refused("a sign-out from another site is not accepted")
    session = await current_session()
    if session is None:
        return redirect("/login", 303)
    form = await request.form
    if not same_token(form.get("csrf"), session.csrf_token):
        return await refused("the form has expired: reload the page and try again")
    await sessions.end(request.cookies.get(SESSION_COOKIE))
    response = redirect("/", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
