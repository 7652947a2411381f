"""The apps a member has let into their account (the client API's OAuth tokens), and taking
that back: one button signs the app out everywhere it holds a token for them."""

from __future__ import annotations

from quart import Blueprint, Response, redirect

from cara_fed.routes.web import current_session, page, refused, sign_in_first, signed_in_form
from cara_fed.services import oauth

bp = Blueprint("authorised_apps", __name__)


@bp.get("/settings/apps")
async def apps_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await page(
        "authorised_apps.html",
        apps=await oauth.authorised_apps(session.actor),
        csrf=session.csrf_token,
    )


@bp.post("/settings/apps")
async def revoke_app() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    raw = form.form.get("app", "")
    if not raw.isdigit() or not await oauth.revoke_app(form.person, int(raw)):
        return await refused("That app holds no access to your account.", 404, "No such app")
    return redirect("/settings/apps", 303)
