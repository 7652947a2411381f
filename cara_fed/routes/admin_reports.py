"""The admins' reports queue on the web: members' reports and peers' Flags, open first, each
with the account, the reported posts and the comment; Resolve (with a note for the record)
and, for a member's report about an account elsewhere, Forward (a Flag from the instance
actor, without the member's name). The same services as `cara-fed report`."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import admin_form, admin_session, page
from cara_fed.services import abuse_reports
from cara_fed.store.abuse_reports import open_reports
from cara_fed.store.safety_models import Report

bp = Blueprint("admin_reports", __name__)
NOT_ADMIN = "only the instance's admins can read reports"
DONE = {"resolved": "Report resolved.", "forwarded": "Report forwarded."}


async def _reports_page(session, error: str | None = None, status: int = 200) -> Response:
    resolved = (
        await Report.filter(state="resolved")
        .order_by("-resolved_at")
        .limit(20)
        .prefetch_related("reporter", "account")
    )
    return await page(
        "admin_reports.html",
        status,
        reports=await open_reports(),
        resolved=resolved,
        csrf=session.csrf_token,
        error=error,
        done=DONE.get(request.args.get("done", "")),
    )


@bp.get("/admin/reports")
async def reports() -> Response:
    session = await admin_session(NOT_ADMIN)
    if isinstance(session, Response):
        return session
    return await _reports_page(session)


async def _decide(report_id: int, forward: bool) -> Response:
    form = await admin_form(NOT_ADMIN)
    if isinstance(form, Response):
        return form
    try:
        if forward:
            await abuse_reports.forward(current_instance(), report_id)
        else:
            await abuse_reports.resolve(current_instance(), report_id, form.form.get("note", ""))
    except UserError as exc:
        return await _reports_page(form.session, str(exc), 409)
    return redirect(f"/admin/reports?done={'forwarded' if forward else 'resolved'}", 303)


@bp.post("/admin/reports/<int:report_id>/resolve")
async def resolve(report_id: int) -> Response:
    return await _decide(report_id, forward=False)


@bp.post("/admin/reports/<int:report_id>/forward")
async def forward(report_id: int) -> Response:
    return await _decide(report_id, forward=True)
