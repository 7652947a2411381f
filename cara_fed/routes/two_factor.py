"""Two-factor sign-in on the web (/settings/two-factor): set it up with an authenticator app,
see how many recovery codes are left, make new ones, turn it off. The sign-in step itself is
in routes/signin.py; the decisions are services/two_factor.py's."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.routes.current import current_instance
from cara_fed.routes.web import current_session, page, refused, sign_in_first, signed_in_form
from cara_fed.services import two_factor

bp = Blueprint("two_factor", __name__)
DONE = {"off": "Two-factor sign-in is off."}


async def _page(session, *, status: int = 200, error: str | None = None, codes=None) -> Response:
    person = session.actor
    row = await two_factor.of(person)
    state = "off" if row is None else ("on" if row.enabled_at else "pending")
    values = {}
    if state == "pending":
        uri = two_factor.provisioning_uri(row, person, current_instance().config.instance.name)
        qr, size = two_factor.qr_code(uri)
        values = {"qr": qr, "qr_size": size, "secret": row.secret}
    return await page(
        "two_factor.html",
        status,
        person=person,
        state=state,
        left=len(row.recovery_codes) if state == "on" else 0,
        required=person.admin and current_instance().config.instance.require_two_factor_for_admins,
        csrf=session.csrf_token,
        error=error,
        codes=codes,
        done=DONE.get(request.args.get("done", "")),
        **values,
    )


@bp.get("/settings/two-factor")
async def settings() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _page(session)


@bp.post("/settings/two-factor")
async def change() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    action = form.form.get("action", "")
    code, password = form.form.get("code") or "", form.form.get("password") or ""
    now = current_instance().clock.now()
    try:
        if action == "begin":
            await two_factor.begin(form.person)
            return redirect("/settings/two-factor", 303)
        if action == "confirm":
            codes = await two_factor.confirm(form.person, password, code, now)
            return await _page(form.session, codes=codes)
        if action == "renew":
            codes = await two_factor.renew_recovery_codes(form.person, code, now)
            return await _page(form.session, codes=codes)
        if action == "disable":
            await two_factor.disable(form.person, password, code, now)
            return redirect("/settings/two-factor?done=off", 303)
    except two_factor.TwoFactorError as exc:
        return await _page(form.session, status=400, error=str(exc))
    return await refused("unknown action", 400, "Bad request")
