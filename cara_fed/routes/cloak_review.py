"""The artist's cloak page of a work: each image as published beside their private original,
both enlarged where a cloak shows most, the measurements in words, and the buttons to publish
(when they check the cloak first) or cloak again at another strength.

Only the work's owner sees any of it: to anyone else the page and its images do not exist
(404), and the images are served with `no-store`, so no cache keeps the original."""

from __future__ import annotations

import asyncio

from quart import Blueprint, Response

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.studio import cloak_form, own_work_form, own_work_page
from cara_fed.routes.web import current_session, page
from cara_fed.services.cloak_choice import current_choice
from cara_fed.services.cloak_preview import KINDS, ZOOM, zoomed_crop
from cara_fed.services.cloak_words import report_in_words
from cara_fed.services.recloak import change_cloak, publish_checked, review_state
from cara_fed.services.works import own_work
from cara_fed.store.media_store import content_type
from cara_fed.store.models import CloakJob, MediaAttachment, Post

bp = Blueprint("cloak_review", __name__)
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
    "X-Robots-Tag": "noai, noimageai, noindex",
}


async def render_cloak_page(session, post: Post, error: str | None = None, status: int = 200):
    media = await MediaAttachment.filter(post=post).order_by("position")
    running = dict(
        await CloakJob.filter(attachment_id__in=[m.pk for m in media], state="pending")
        .order_by("id")
        .values_list("attachment_id", "strength")
    )
    images = [
        {"media": m, "words": report_in_words(m.cloak_report), "strength": running.get(m.pk)}
        for m in media
    ]
    return await page(
        "cloak_preview.html",
        status,
        post=post,
        images=images,
        state=review_state(post, media),
        cloaking=any(m.cloak_state == "pending" for m in media),
        cloak=cloak_form(current_choice(current_instance(), post, media)),
        zoom=ZOOM,
        csrf=session.csrf_token,
        error=error,
    )


@bp.get("/works/<int:post_id>/cloak")
async def cloak_page(post_id: int) -> Response:
    return await own_work_page(post_id, render_cloak_page)


@bp.get("/works/<int:post_id>/cloak/<int:media_id>/<kind>")
async def cloak_image(post_id: int, media_id: int, kind: str) -> Response:
    """One of the page's images, to the owner only: `published`, `original`, or either with
    `-zoom` (the flattest square, enlarged)."""
    session = await current_session()
    which, zoom = kind.removesuffix("-zoom"), kind.endswith("-zoom")
    if session is None or which not in KINDS:
        return Response("no such image", 404, headers=PRIVATE_HEADERS)
    try:
        post = await own_work(session.actor, post_id)
    except UserError:
        return Response("no such image", 404, headers=PRIVATE_HEADERS)
    media = await MediaAttachment.get_or_none(id=media_id, post=post)
    name = media and (media.original_file if which == "original" else media.file_name)
    instance = current_instance()
    config = instance.config
    if media is None or not name or not media.file_name or not media.original_file:
        return Response("no such image", 404, headers=PRIVATE_HEADERS)
    try:  # the original is read only when it is asked for (it is the larger file)
        if zoom:
            original = b""
            if which == "original":
                original = await instance.media.get(media.original_file)
            crop = await asyncio.to_thread(
                zoomed_crop,
                which,
                original,
                await instance.media.get(media.file_name),
                media.cloak_report,
                config.media.max_pixels,
                config.media.max_published_pixels,
            )
            return Response(crop, content_type="image/png", headers=PRIVATE_HEADERS)
        data = await instance.media.get(name)
    except OSError:  # replaced by a new rendition while we looked (or the store failed)
        return Response("no such image", 404, headers=PRIVATE_HEADERS)
    return Response(data, content_type=content_type(name), headers=PRIVATE_HEADERS)


async def _cloak_action(post_id: int, action) -> Response:
    async def refused(form, post, message: str) -> Response:
        return await render_cloak_page(form.session, post, message, 400)

    return await own_work_form(post_id, action, refused)


@bp.post("/works/<int:post_id>/cloak")
async def cloak_again(post_id: int) -> Response:
    async def action(form, post):
        await change_cloak(current_instance(), form.person, post, form.form.get("cloak_strength"))
        return f"/works/{post_id}/cloak"

    return await _cloak_action(post_id, action)


@bp.post("/works/<int:post_id>/cloak/publish")
async def publish(post_id: int) -> Response:
    async def action(form, post):
        await publish_checked(current_instance(), form.person, post)
        return post.url or post.uri

    return await _cloak_action(post_id, action)
