"""Uploading images through the client API, Mastodon's way: POST /api/v2/media answers 202 at
once; GET /api/v1/media/:id answers 206 while the image is screened, 200 once it may be
posted, 422 with the reason when it is refused. PUT changes its description and focus."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.convert import to_api_statuses
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error, throttled
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_uploads
from cara_fed.services.post_input import PostError
from cara_fed.store.api_models import ApiUpload

bp = Blueprint("api_media", __name__)


def _answer(upload: ApiUpload, ready_status: int = 200) -> Response:
    document = to_api_statuses.upload_attachment(upload, current_instance().urls)
    if upload.state == api_uploads.SCREENING:
        return json_response(document, status=206 if ready_status == 200 else ready_status)
    if upload.state == "refuse":
        reason = (upload.verdict or {}).get("reason") or "refused by screening"
        return api_error(
            422,
            f"This image was refused: {reason}. This instance does not accept generated "
            "images; if this is wrong, ask an admin to look at it",
        )
    return json_response(document, status=ready_status)


@bp.post("/api/v2/media")
@bp.post("/api/v1/media")
async def upload() -> Response:
    token = await authorized("write:media")
    if isinstance(token, Response):
        return token
    limited = await throttled("media", current_instance().media_throttle, str(token.actor.pk))
    if limited:
        return limited
    files = await request.files
    form = await request.form
    given = files.get("file")
    if given is None:
        return api_error(422, "Validation failed: File can't be blank")
    try:
        row = await api_uploads.accept_upload(
            current_instance(),
            token.actor,
            given.read(),
            (form.get("description") or "").strip(),
            api_uploads.parse_focus(form.get("focus")),
        )
    except PostError as exc:
        return api_error(422, f"Validation failed: {exc}")
    return _answer(row, 202)


@bp.get("/api/v1/media/<media_id>")
async def show(media_id: str) -> Response:
    token = await authorized("read:statuses", "write:media")
    if isinstance(token, Response):
        return token
    row = await api_uploads.own_upload(current_instance(), token.actor, media_id)
    if row is None:
        return api_error(404, "Record not found")
    return _answer(row)


@bp.put("/api/v1/media/<media_id>")
async def update(media_id: str) -> Response:
    token = await authorized("write:media")
    if isinstance(token, Response):
        return token
    row = await api_uploads.own_upload(current_instance(), token.actor, media_id)
    if row is None:
        return api_error(404, "Record not found")
    form = await request.form
    try:
        if "description" in form:
            description = form["description"].strip()
            if len(description) > 1500:
                raise PostError("the description is longer than 1500 characters")
            row.description = description
        if "focus" in form:
            row.focus_x, row.focus_y = api_uploads.parse_focus(form["focus"])
    except PostError as exc:
        return api_error(422, f"Validation failed: {exc}")
    await row.save(update_fields=["description", "focus_x", "focus_y"])
    return _answer(row)
