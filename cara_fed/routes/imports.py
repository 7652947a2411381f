"""Imports on the web: /imports uploads an export (Instagram, Mastodon, a ZIP of images) and
shows each import's progress and report; /drafts is one form for the works waiting for alt
text, to publish all or some. The decisions are cara_fed/services/imports.py's, the CLI's.

The upload is the one request whose body may be larger than an image form's: `ImportRequest`
lets it through up to `[media] max_import_bytes` and gives it an hour to arrive; the form
parser spools it to a temporary file, which is moved into data_dir/imports before its import
is queued for a worker."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from pathlib import Path

from quart import Blueprint, Response, redirect, request
from quart.wrappers import Request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error
from cara_fed.routes.web import current_session, page, sign_in_first, signed_in_form
from cara_fed.services import imports
from cara_fed.store.import_models import ImportDraft, ImportJob

bp = Blueprint("imports", __name__)
UPLOAD_PATH = "/imports"
KINDS = {
    "instagram": "Instagram export (ZIP)",
    "mastodon": "Mastodon archive (ZIP)",
    "folder": "ZIP of images, with an optional CSV",
}


def import_request_class(max_import_bytes: int) -> type[Request]:
    class ImportRequest(Request):
        def __init__(self, method: str, scheme: str, path: str, *args, **kwargs) -> None:
            if method == "POST" and path == UPLOAD_PATH:
                kwargs["max_content_length"] = max_import_bytes
                kwargs["body_timeout"] = 3600
            super().__init__(method, scheme, path, *args, **kwargs)

    return ImportRequest


async def _imports_page(session, error_text: str | None = None, status: int = 200) -> Response:
    jobs = await ImportJob.filter(owner=session.actor).order_by("-id").limit(20)
    waiting = await ImportDraft.filter(owner=session.actor, state="draft").count()
    return await page(
        "imports.html",
        status,
        jobs=jobs,
        kinds=KINDS,
        drafts=waiting,
        running=any(job.state in ("queued", "running") for job in jobs),
        csrf=session.csrf_token,
        error=error_text,
    )


@bp.get("/imports")
async def imports_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _imports_page(session)


@bp.post(UPLOAD_PATH)
async def upload() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    archive = form.files.get("archive")
    kind = form.form.get("kind", "")
    if archive is None or not archive.filename:
        return await _imports_page(form.session, "choose the export's ZIP file", 400)
    instance = current_instance()
    folder = instance.config.data_dir / "imports"
    target = folder / f"{secrets.token_hex(8)}.zip"
    await asyncio.to_thread(_keep, archive, folder, target)
    try:
        await imports.start(instance, form.person, kind, target, queued=True)
    except UserError as exc:
        await asyncio.to_thread(target.unlink, True)
        return await _imports_page(form.session, str(exc), 400)
    instance.wake_workers()
    return redirect("/imports", 303)


def _keep(upload, folder: Path, target: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(upload.stream, out, 1024 * 1024)


async def _drafts_page(session, error_text: str | None = None, status: int = 200) -> Response:
    drafts = await ImportDraft.filter(owner=session.actor, state="draft").order_by("made_at", "id")
    return await page(
        "drafts.html",
        status,
        drafts=drafts,
        csrf=session.csrf_token,
        error=error_text,
        published=request.args.get("published", ""),
    )


@bp.get("/drafts")
async def drafts_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _drafts_page(session)


@bp.post("/drafts")
async def publish() -> Response:
    """The ticked drafts, each with the alt text typed beside its images."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    ticked = [int(i) for i in form.form.getlist("publish") if i.isdigit()]
    if not ticked:
        return await _drafts_page(form.session, "tick the works to publish", 400)
    choices = []
    for draft_id in ticked:
        alts, n = [], 0
        while (alt := form.form.get(f"alt-{draft_id}-{n}")) is not None:
            alts.append(alt)
            n += 1
        choices.append(imports.Choice(draft_id, tuple(alts)))
    try:
        posts = await imports.publish(current_instance(), form.person, choices)
    except UserError as exc:
        return await _drafts_page(form.session, str(exc), 400)
    return redirect(f"/drafts?published={len(posts)}", 303)


@bp.get("/drafts/<int:draft_id>/<int:number>")
async def draft_image(draft_id: int, number: int) -> Response:
    """A draft's image, to its artist only: it is not published, and never cached."""
    session = await current_session()
    if session is None:
        return sign_in_first()
    draft = await ImportDraft.get_or_none(id=draft_id, owner=session.actor, state="draft")
    if draft is None or not 0 <= number < len(draft.images):
        return error(404, "there is no such draft image")
    image = draft.images[number]
    data = await current_instance().media.get(image["file"])
    response = Response(data, mimetype=image["media_type"])
    response.headers["Cache-Control"] = "private, no-store"
    return response
