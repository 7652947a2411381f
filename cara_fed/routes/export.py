"""The archive of one's account on the web (/settings/export): ask for it (with the private
originals or not), watch it being made (the page refreshes itself while a worker builds it),
and download it. What is in it is services/exports.py's."""

from __future__ import annotations

from pathlib import Path

from quart import Blueprint, Response, redirect, send_file

from cara_fed.routes.web import current_session, page, refused, sign_in_first, signed_in_form
from cara_fed.services import exports

bp = Blueprint("export", __name__)


async def _page(session, error: str | None = None, status: int = 200) -> Response:
    job = await exports.latest(session.actor)
    return await page(
        "export.html",
        status,
        job=job,
        running=job is not None and job.state in ("queued", "running"),
        csrf=session.csrf_token,
        error=error,
    )


@bp.get("/settings/export")
async def export_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _page(session)


@bp.post("/settings/export")
async def start_export() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        await exports.start(form.person, with_originals=form.form.get("originals") == "yes")
    except exports.ExportError as exc:
        return await _page(form.session, str(exc), 409)
    return redirect("/settings/export", 303)


@bp.get("/settings/export/download")
async def download() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    job = await exports.latest(session.actor)
    if job is None or job.state != "done" or not job.file:
        return await refused("there is no finished archive of your account to download", 404,
                             "No archive yet")  # fmt: skip
    # Streamed from the file, not read whole: with the originals an archive can be large.
    name = f"{session.actor.username}-archive-{job.finished_at:%Y%m%d}.zip"
    response = await send_file(
        Path(job.file), mimetype="application/zip", as_attachment=True, attachment_filename=name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
