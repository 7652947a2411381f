"""Sign-up on the web, as `[instance] registrations` allows: closed (404: admins use the CLI),
approval (the account waits for an admin: /admin/signups or `cara-fed user approve`) or open
(signed in at once)."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.email_confirmation import send_confirmation
from cara_fed.routes.signin import start_session
from cara_fed.routes.web import (
    CSRF_COOKIE,
    anonymous_form,
    anonymous_page,
    over_limit,
    page,
    refused,
)
from cara_fed.services import emails
from cara_fed.services.accounts import create_account

bp = Blueprint("signup", __name__)
MIN_PASSWORD = 10
MAX_REASON = 1000


def _mode() -> str:
    return current_instance().config.instance.registrations


def _fields(username: str = "", reason: str = "", email: str = "") -> dict:
    return {"username": username, "reason": reason, "email": email,
            "email_required": current_instance().config.email.configured}  # fmt: skip


async def _form(csrf: str, status: int, error: str, **values: str) -> Response:
    return await page("signup.html", status, csrf=csrf, error=error, **_fields(**values))


async def _free_address(raw: str) -> str | None:
    """The address given, checked before the account is made (so a refused one leaves no
    account behind); needed when the instance sends mail, for the way back in."""
    if not raw:
        if current_instance().config.email.configured:
            raise UserError("give your email address: a link to a new password goes there")
        return None
    return await emails.free_address(raw)


@bp.get("/signup")
async def signup_form() -> Response:
    if _mode() == "closed":
        return await refused("sign-ups are closed on this instance", 404, "Sign-ups closed")
    return await anonymous_page("signup.html", error=None, **_fields())


@bp.post("/signup")
async def signup() -> Response:
    mode = _mode()
    if mode == "closed":
        return await refused("sign-ups are closed on this instance", 404, "Sign-ups closed")
    form = await anonymous_form("sign-up")
    if isinstance(form, Response):
        return form
    csrf = request.cookies.get(CSRF_COOKIE)
    username = (form.get("username") or "").strip().lower()
    password = form.get("password") or ""
    reason = (form.get("reason") or "").strip()
    email = (form.get("email") or "").strip()
    throttle = current_instance().signup_throttle
    now = current_instance().clock.now()
    key = [f"addr:{request.remote_addr}"]
    if limited := await over_limit(throttle, key, now, "sign-ups from your address"):
        return limited
    try:
        if len(password) < MIN_PASSWORD:
            raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
        if mode == "approval" and not reason:
            raise UserError("say why you want to join: an admin reads it")
        if len(reason) > MAX_REASON:
            raise UserError(f"the reason is longer than {MAX_REASON} characters")
        address = await _free_address(email)
        confirming = current_instance().config.email.confirm_signups
        person = await create_account(
            current_instance().config,
            username,
            password=password,
            approved=mode == "open" and not confirming,
            signup_reason=reason or None,
        )
        if address:
            await emails.set_address(person, address)
    except UserError as exc:
        return await _form(csrf, 400, str(exc), username=username, reason=reason, email=email)
    await throttle.record(key, now)
    if confirming:
        await send_confirmation(person, address)
        then = "then an admin reads your request" if mode == "approval" else "then sign in"
        return await page(
            "message.html", title="Confirm your address",
            message=f"We sent a link to {address}: open it to confirm your address, and "
            f"{then}. It works for two days.",
        )  # fmt: skip
    if mode == "approval":
        return await page(
            "message.html",
            title="Request sent",
            message="Thank you. An admin will read your request; you can sign in once it is "
            "approved.",
        )
    return await start_session(person, redirect("/home", 303))
