"""Where a member is signed in (/settings/apps): their browsers (device, address, last seen)
and the apps they let into their account (the client API's OAuth tokens), each with a button
to end it: a browser is signed out at its next request, an app everywhere it holds a token
for them."""

from __future__ import annotations

from quart import Blueprint, Response, redirect

from cara_fed.routes.current import current_instance
from cara_fed.routes.web import current_session, page, refused, sign_in_first, signed_in_form
from cara_fed.services import oauth, sessions

bp = Blueprint("authorised_apps", __name__)


@bp.get("/settings/apps")
async def apps_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    browsers = await sessions.of(session.actor, current_instance().clock.now())
    return await page(
        "authorised_apps.html",
        apps=await oauth.authorised_apps(session.actor),
        browsers=[(b, sessions.device(b.user_agent)) for b in browsers],
        this_browser=session.token_hash,
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


@bp.post("/settings/sessions")
async def end_session() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    chosen = form.form.get("session", "")
    if chosen == form.session.token_hash:
        return await refused("Use Sign out to sign this browser out.", 400, "This browser")
    if not await sessions.end_one(form.person, chosen):
        return await refused("That browser is not signed in as you.", 404, "No such session")
    return redirect("/settings/apps", 303)
