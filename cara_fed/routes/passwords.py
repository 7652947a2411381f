"""The account page (/settings/account: the member's email address and password) and the
forgotten-password pages (/password/forgot, /password/reset/TOKEN). The decisions are
services/passwords.py's and emails.py's, the same the CLI makes.

"Forgot password" answers with the same page, after the same work, whether or not an account
has the address, and is rate limited by client address and by the address asked about; the
mail itself is queued and sent by a worker (services/mail.py)."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, render_template, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import (
    SESSION_COOKIE,
    anonymous_form,
    anonymous_page,
    current_session,
    over_limit,
    page,
    refused,
    sign_in_first,
    signed_in_form,
)
from cara_fed.services import emails, mail, passwords

bp = Blueprint("passwords", __name__)
DONE = {
    "email": "Your email address is saved.",
    "email_removed": "Your email address is removed: you cannot reset your password by mail.",
    "password": "Your password is changed. Every other browser signed in as you is signed out.",
}
SENT = (
    "If an account here has that address, a message with a link to set a new password is on "
    "its way to it. The link works once, for an hour. Nothing came? Look in your spam folder, "
    "or ask an admin."
)
NO_MAIL = (
    "This server does not send mail, so it cannot send you a link. Ask an admin: they can "
    "set a new password for you (cara-fed user password)."
)


async def _account_page(session, error: str | None = None, status: int = 200) -> Response:
    return await page(
        "account_settings.html",
        status,
        person=session.actor,
        address=await emails.address_of(session.actor),
        mail_configured=current_instance().config.email.configured,
        csrf=session.csrf_token,
        error=error,
        min_password=passwords.MIN_PASSWORD,
        done=DONE.get(request.args.get("done", "")),
    )


@bp.get("/settings/account")
async def account_settings() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _account_page(session)


@bp.post("/settings/account")
async def change_account() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    action = form.form.get("action", "")
    try:
        if action == "email":
            stored = await emails.set_address(form.person, form.form.get("email"))
            done = "email" if stored else "email_removed"
        elif action == "password":
            await passwords.change(
                form.person,
                form.form.get("current") or "",
                form.form.get("new") or "",
                session=form.session.token_hash,
                revoke_apps=form.form.get("revoke_apps") == "yes",
            )
            done = "password"
        else:
            return await refused("unknown action", 400, "Bad request")
    except UserError as exc:
        return await _account_page(form.session, str(exc), 400)
    return redirect(f"/settings/account?done={done}", 303)


@bp.get("/password/forgot")
async def forgot_form() -> Response:
    configured = current_instance().config.email.configured
    return await anonymous_page("password_forgot.html", error=None if configured else NO_MAIL,
                                 configured=configured, sent=None)  # fmt: skip


@bp.post("/password/forgot")
async def forgot() -> Response:
    instance = current_instance()
    if not instance.config.email.configured:
        return await anonymous_page("password_forgot.html", 503, error=NO_MAIL,
                                     configured=False, sent=None)  # fmt: skip
    asked = await address_asked("password reset", "reset requests")
    if isinstance(asked, Response):
        return asked
    address, now = asked, instance.clock.now()
    found = await passwords.start_reset(address, now)
    if found is not None:
        person, token = found
        await queue_mail(
            address, f"Set a new password on {instance.config.instance.name}",
            "password_reset", person=person, link=f"{instance.urls.base}/password/reset/{token}",
            hours=int(passwords.RESET_LIFETIME.total_seconds() // 3600),
        )  # fmt: skip
    return await anonymous_page("password_forgot.html", configured=True, error=None, sent=SENT)


async def address_asked(what: str, limited_as: str) -> str | Response:
    """The address a form of someone not signed in asks about (a reset, a new confirmation
    link), counted against five an hour per client and per address, or the refusal."""
    form = await anonymous_form(what)
    if isinstance(form, Response):
        return form
    instance = current_instance()
    address = (form.get("email") or "").strip().lower()[:320]
    now = instance.clock.now()
    keys = [f"addr:{request.remote_addr}", f"email:{address}"]
    if limited := await over_limit(instance.reset_throttle, keys, now, limited_as):
        return limited
    await instance.reset_throttle.record(keys, now)
    return address


async def queue_mail(to: str, subject: str, template: str, **values) -> None:
    """Render templates/mail/TEMPLATE.txt and .html (in our style, naming the instance) and
    queue the message for a worker to send."""
    instance = current_instance()
    values["instance_name"] = instance.config.instance.name
    message = mail.Message(
        to=to,
        subject=subject,
        text=await render_template(f"mail/{template}.txt", **values),
        html=await render_template(f"mail/{template}.html", **values),
    )
    await mail.queue_message(instance.config, message, instance.clock.now())
    instance.wake_workers()


async def _reset_page(token: str, status: int = 200, error: str | None = None) -> Response:
    person = await passwords.reset_for(token, current_instance().clock.now())
    if person is None:
        return await refused(passwords.INVALID_LINK, 404, "Link not valid")
    return await anonymous_page(
        "password_reset.html", status, person=person, token=token, error=error,
        min_password=passwords.MIN_PASSWORD,
    )  # fmt: skip


@bp.get("/password/reset/<token>")
async def reset_form(token: str) -> Response:
    return await _reset_page(token)


@bp.post("/password/reset/<token>")
async def reset(token: str) -> Response:
    form = await anonymous_form("password reset")
    if isinstance(form, Response):
        return form
    instance = current_instance()
    try:
        await passwords.finish_reset(
            token,
            form.get("account") or "",
            form.get("password") or "",
            instance.clock.now(),
            revoke_apps=form.get("revoke_apps") == "yes",
        )
    except passwords.PasswordError as exc:
        if str(exc) == passwords.INVALID_LINK:
            return await refused(passwords.INVALID_LINK, 404, "Link not valid")
        return await _reset_page(token, 400, str(exc))
    response = redirect("/login?reset=done", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
