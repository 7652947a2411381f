"""The admins' page of local accounts (/admin/accounts): every member, with Suspend or
Unsuspend, as Mastodon's moderation of local accounts. The decisions are
services/suspension.py's, the same `cara-fed user suspend|unsuspend` makes; the gates are
routes/web.admin_session and admin_form, as on the other admin pages."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import admin_form, admin_session, page
from cara_fed.services import suspension
from cara_fed.services.accounts import USERNAME, local_people
from cara_fed.store.models import Actor

bp = Blueprint("admin_accounts", __name__)
NOT_ADMIN = "only the instance's admins can suspend accounts"


async def _page(session, error: str | None = None, status: int = 200) -> Response:
    done = request.args.get("done", "")
    name = request.args.get("name", "")
    notice = None
    if done in ("suspended", "unsuspended") and USERNAME.match(name):
        notice = f"@{name} is {done}; their followers' servers are told."
    return await page(
        "admin_accounts.html",
        status,
        members=await local_people(),
        csrf=session.csrf_token,
        me=session.actor.pk,
        error=error,
        done=notice,
    )


@bp.get("/admin/accounts")
async def accounts_page() -> Response:
    session = await admin_session(NOT_ADMIN)
    if isinstance(session, Response):
        return session
    return await _page(session)


@bp.post("/admin/accounts/<name>/<action>")
async def change(name: str, action: str) -> Response:
    form = await admin_form(NOT_ADMIN)
    if isinstance(form, Response):
        return form
    if action not in ("suspend", "unsuspend"):
        return await _page(form.session, "unknown action", 400)
    member = await Actor.get_or_none(local=True, actor_type="Person", username=name)
    if member is None:
        return await _page(form.session, f"there is no member named {name!r} here", 404)
    if member.pk == form.person.pk:
        return await _page(form.session, "you cannot suspend yourself", 400)
    try:
        if action == "suspend":
            await suspension.suspend(current_instance(), member)
        else:
            await suspension.unsuspend(current_instance(), member)
    except UserError as exc:
        return await _page(form.session, str(exc), 409)
    return redirect(f"/admin/accounts?done={action}ed&name={name}", 303)
