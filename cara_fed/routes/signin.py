"""Signing in and out of the web pages, and the signed-in landing page.

Sessions are server-side (cara_fed/services/sessions.py) behind an HttpOnly, SameSite=Lax
cookie, Secure when the instance is served over https. Every form carries a CSRF token: the
session's once signed in, and before that a double-submit cookie. POSTs that a browser marks
as coming from another site are refused outright. Failed sign-ins are rate limited per
address and per account name.
"""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.local_target import local_path
from cara_fed.routes.web import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    anonymous_form,
    anonymous_page,
    cross_site,
    current_session,
    over_limit,
    page,
    refused,
    same_token,
    set_cookie,
)
from cara_fed.services import emails, sessions, two_factor

bp = Blueprint("signin", __name__)
# Between the password and the second factor (services/two_factor.challenge).
CHALLENGE_COOKIE = "cara_2fa"
RESET_DONE = "Your new password is set, and every browser signed in as you is signed out."


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another origin."""
    return local_path(target) or "/home"


@bp.get("/login")
async def login_form() -> Response:
    target = safe_next(request.args.get("next"))
    if await current_session():
        return redirect(target, 303)
    done = RESET_DONE if request.args.get("reset") == "done" else None
    return await anonymous_page("login.html", username="", error=None, next=target, done=done)


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
    if limited := await over_limit(throttle, keys, now, "failed sign-ins"):
        return limited
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
    waiting = await emails.awaiting_confirmation(person)
    if waiting:
        return await refused(
            f"confirm your address first: open the link we sent to {waiting} (it works for two "
            "days). No mail? Ask for a new link at /email/confirm.",
            title="Confirm your address",
        )
    if person.suspended_at is not None:
        return await refused(
            "this account is suspended by the admins: it cannot sign in", title="Suspended"
        )
    if not person.approved:
        return await refused(
            "your sign-up is waiting for an admin's approval: you can sign in once it is approved",
            title="Not approved yet",
        )
    target = safe_next(form.get("next"))
    if await two_factor.enabled(person):
        token = await two_factor.challenge(person, target, now)
        response = redirect("/login/two-factor", 303)
        set_cookie(response, CHALLENGE_COOKIE, token, max_age=300)
        return response
    return await start_session(person, redirect(target, 303))


@bp.get("/login/two-factor")
async def second_factor_form() -> Response:
    challenge = await two_factor.challenged(
        request.cookies.get(CHALLENGE_COOKIE), current_instance().clock.now()
    )
    if challenge is None:
        return redirect("/login", 303)
    return await page("login_two_factor.html", csrf=request.cookies.get(CSRF_COOKIE), error=None)


@bp.post("/login/two-factor")
async def second_factor() -> Response:
    """The code from the app, or a recovery code. Wrong codes are limited as wrong passwords
    are, per address and per account, so six digits cannot be guessed."""
    form = await anonymous_form("sign-in")
    if isinstance(form, Response):
        return form
    now = current_instance().clock.now()
    token = request.cookies.get(CHALLENGE_COOKIE)
    challenge = await two_factor.challenged(token, now)
    if challenge is None:
        return redirect("/login", 303)
    person = challenge.actor
    throttle = current_instance().login_throttle
    keys = [f"addr:{request.remote_addr}", f"2fa:{person.id}"]
    if limited := await over_limit(throttle, keys, now, "wrong codes"):
        return limited
    if not await two_factor.check(person, form.get("code") or "", now):
        await throttle.failed(keys, now)
        return await page(
            "login_two_factor.html", 401, csrf=request.cookies.get(CSRF_COOKIE),
            error="that code is wrong, or was used already",
        )  # fmt: skip
    await throttle.succeeded(keys)
    await two_factor.end_challenge(token)
    response = await start_session(person, redirect(challenge.next, 303))
    response.delete_cookie(CHALLENGE_COOKIE, path="/")
    return response


async def start_session(person, response: Response) -> Response:
    """Sign `person` in on `response`: the session cookie set, the sign-in form's token gone."""
    token, _ = await sessions.start(
        person,
        current_instance().clock.now(),
        user_agent=request.headers.get("User-Agent"),
        address=request.remote_addr,
    )
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
