"""Deleting one's own account on the web (/settings/delete): the password asked again, and
the second factor when it is on, and a box ticked to say so. What goes and what is kept is
services/account_deletion.py's, the same as `cara-fed user delete`."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.routes.current import current_instance
from cara_fed.routes.web import SESSION_COOKIE, current_session, page, sign_in_first, signed_in_form
from cara_fed.services import account_deletion, two_factor
from cara_fed.services.sessions import password_matches

bp = Blueprint("account_deletion", __name__)


async def _page(session, error: str | None = None, status: int = 200) -> Response:
    return await page(
        "delete_account.html",
        status,
        person=session.actor,
        second_factor=await two_factor.enabled(session.actor),
        csrf=session.csrf_token,
        error=error,
    )


@bp.get("/settings/delete")
async def delete_form() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _page(session)


@bp.post("/settings/delete")
async def delete() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    instance, person = current_instance(), form.person
    if form.form.get("confirm") != "yes":
        return await _page(form.session, "tick the box to say you mean it", 400)
    password = form.form.get("password") or ""
    if not await password_matches(person, password):
        return await _page(form.session, "the password is wrong", 400)
    if await two_factor.enabled(person):
        code = form.form.get("code") or ""
        if not await two_factor.check(person, code, instance.clock.now()):
            return await _page(form.session, "that code is wrong, or was used already", 400)
    await account_deletion.delete_account(instance, person)
    response = await page(
        "message.html",
        title="Account deleted",
        message=f"@{person.username} is deleted: your works and images are gone from here, and "
        "the servers that knew you are being told to forget them.",
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
