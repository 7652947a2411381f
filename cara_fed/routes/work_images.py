"""The image part of a work's edit page: add, replace, remove and reorder its images. Each
is a small POST form of its own (session, CSRF, same site, as every form); a refusal
shows the edit page again with the reason, and changes nothing."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.routes.current import current_instance
from cara_fed.routes.studio import own_work_form, render_edit_page, uploads_from_form
from cara_fed.services import work_images
from cara_fed.services.post_input import PostError, Upload

bp = Blueprint("work_images", __name__)


async def _image_action(post_id: int, action, anchor: str = "images") -> Response:
    async def run(form, post) -> str:
        await action(form, post)
        return f"/works/{post_id}/edit#{anchor}"

    async def refused(form, post, message: str) -> Response:
        return await render_edit_page(form.person, post, form.session.csrf_token, message, 400)

    return await own_work_form(post_id, run, refused)


@bp.post("/works/<int:post_id>/images/add")
async def add(post_id: int) -> Response:
    async def action(form, post):
        await work_images.add_images(current_instance(), form.person, post, uploads_from_form(form))

    return await _image_action(post_id, action)


@bp.post("/works/<int:post_id>/images/<int:media_id>/replace")
async def replace(post_id: int, media_id: int) -> Response:
    async def action(form, post):
        file = form.files.get("image")
        data = file.read() if file and file.filename else b""
        if not data:
            raise PostError("choose the new image's file")
        upload = Upload(data, form.form.get("alt", ""))
        await work_images.replace_image(current_instance(), form.person, post, media_id, upload)

    return await _image_action(post_id, action)


@bp.post("/works/<int:post_id>/images/<int:media_id>/remove")
async def remove(post_id: int, media_id: int) -> Response:
    async def action(form, post):
        if form.form.get("confirm") != "yes":
            raise PostError("tick the box to confirm removing the image")
        await work_images.remove_image(current_instance(), form.person, post, media_id)

    return await _image_action(post_id, action)


@bp.post("/works/<int:post_id>/images/<int:media_id>/move")
async def move(post_id: int, media_id: int) -> Response:
    async def action(form, post):
        offset = form.form.get("offset", "")
        if offset not in ("-1", "1"):
            raise PostError("an image moves one place earlier (-1) or later (1)")
        await work_images.move_image(current_instance(), form.person, post, media_id, int(offset))

    # Back to the moved image, so that a keyboard user's next Tab is beside it again.
    return await _image_action(post_id, action, f"image-{media_id}")
