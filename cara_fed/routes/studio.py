"""Where a signed-in artist makes and arranges their work: upload, edit, pin and delete works;
make, arrange and delete albums. Every POST goes through signed_in_form (session, CSRF,
same site); every refusal says why and changes nothing."""

from __future__ import annotations

from quart import Blueprint, Response, redirect

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import (
    SignedInForm,
    current_session,
    page,
    sign_in_first,
    signed_in_form,
)
from cara_fed.services import albums as album_service
from cara_fed.services.cloak_choice import CHOICES, current_choice, default_choice, options
from cara_fed.services.cloak_words import report_in_words
from cara_fed.services.credentials import made_as_form
from cara_fed.services.portfolio import album_works
from cara_fed.services.post_input import (
    MAX_IMAGES,
    PostDraft,
    PostError,
    Upload,
    alt_text_required,
    missing_alt_text,
    parse_tags,
)
from cara_fed.services.post_text import html_to_text
from cara_fed.services.posting import delete_post, publish_post
from cara_fed.services.works import (
    WorkChange,
    edit_work,
    own_work,
    set_pinned,
)
from cara_fed.store.models import Album, AlbumItem, MediaAttachment

bp = Blueprint("studio", __name__)
# Image slots on the upload form; more are added on the work's edit page (up to MAX_IMAGES).
UPLOAD_SLOTS = 8


async def _albums_of(person) -> list[Album]:
    return await Album.filter(owner=person).order_by("title")


async def _upload_page(form: SignedInForm | None, error: str | None, status: int) -> Response:
    session = form.session if form else await current_session()
    values = dict(form.form.items()) if form else {}
    values.setdefault("visibility", "public")
    return await page(
        "upload.html",
        status,
        csrf=session.csrf_token,
        values=values,
        albums=await _albums_of(session.actor),
        slots=UPLOAD_SLOTS,
        alt_required=alt_text_required(current_instance(), session.actor),
        cloak=cloak_form(
            values["cloak_strength"]
            if values.get("cloak_strength") in CHOICES
            else default_choice(current_instance(), session.actor)
        ),
        made_as=made_as_form(current_instance(), values.get("made_as") or session.actor.made_as),
        error=error,
    )


def cloak_form(chosen: str) -> dict | None:
    """What a page's cloak radio group needs, or None when the instance runs no cloak."""
    settings = current_instance().config.cloak
    if not settings.enabled:
        return None
    return {"options": options(), "chosen": chosen, "usual": settings.strength}


@bp.get("/upload")
async def upload_form() -> Response:
    if await current_session() is None:
        return sign_in_first()
    return await _upload_page(None, None, 200)


def uploads_from_form(form: SignedInForm, slots: int = UPLOAD_SLOTS) -> list[Upload]:
    """The chosen files in slot order, each with its alt text; empty slots are skipped. An
    error names the slot the person sees, not the image's place among those chosen."""
    required = alt_text_required(current_instance(), form.person)
    uploads = []
    for n in range(1, slots + 1):
        file = form.files.get(f"image{n}")
        alt = form.form.get(f"alt{n}", "")
        data = file.read() if file and file.filename else b""
        if not data:
            if alt.strip():
                raise PostError(f"image {n} has alt text but no file: choose the file")
            continue
        if required and not alt.strip():
            raise missing_alt_text(n)
        uploads.append(Upload(data, alt))
    return uploads


@bp.post("/upload")
async def upload() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    fields = form.form
    try:
        album = fields.get("album") or None
        draft = PostDraft(
            tuple(uploads_from_form(form)),
            text=fields.get("description", ""),
            title=fields.get("title", ""),
            tags=tuple(parse_tags(fields.get("tags", ""))),
            summary=fields.get("content_warning", ""),
            sensitive=fields.get("sensitive") == "1",
            visibility=fields.get("visibility", "public"),
            album_id=int(album) if album and album.isdigit() else None,
            cloak_strength=fields.get("cloak_strength"),
            made_as=fields.get("made_as") or None,
        )
        post = await publish_post(current_instance(), form.person, draft)
    except UserError as exc:
        return await _upload_page(form, str(exc), 400)
    if post.cloak_pending:  # not public yet: the artist follows the cloak on its page
        return redirect(f"/works/{post.pk}/cloak", 303)
    return redirect(post.url or post.uri, 303)


async def render_edit_page(person, post, csrf: str, error: str | None = None, status: int = 200):
    media = await MediaAttachment.filter(post=post).order_by("position")
    in_albums = set(
        await AlbumItem.filter(post=post).values_list("album_id", flat=True)  # type: ignore[arg-type]
    )
    return await page(
        "edit_work.html",
        status,
        post=post,
        media=media,
        description=html_to_text(post.content),
        albums=await _albums_of(person),
        in_albums=in_albums,
        alt_required=alt_text_required(current_instance(), person),
        max_images=MAX_IMAGES,
        add_slots=max(0, min(UPLOAD_SLOTS, MAX_IMAGES - len(media))),
        cloak=cloak_form(current_choice(current_instance(), post, media)),
        measures={m.pk: report_in_words(m.cloak_report) for m in media},
        csrf=csrf,
        error=error,
        urls=current_instance().urls,
    )


async def no_such_work(exc: UserError) -> Response:
    return await page("message.html", 404, title="No such work", message=str(exc))


async def own_work_page(post_id: int, render) -> Response:
    """A page about one of the signed-in artist's works, `render(session, post)`; sign in
    first, and to anyone else the work does not exist (404)."""
    session = await current_session()
    if session is None:
        return sign_in_first()
    try:
        post = await own_work(session.actor, post_id)
    except UserError as exc:
        return await no_such_work(exc)
    return await render(session, post)


async def own_work_form(post_id: int, action, refused) -> Response:
    """A form about one of the signed-in artist's works (session, CSRF, same site): `action
    (form, post)` returns where to go next; a UserError it raises is shown by `refused(form,
    post, message)`, which changes nothing. Anyone else's work does not exist (404)."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        post = await own_work(form.person, post_id)
    except UserError as exc:
        return await no_such_work(exc)
    try:
        target = await action(form, post)
    except UserError as exc:
        return await refused(form, post, str(exc))
    return redirect(target, 303)


@bp.get("/works/<int:post_id>/edit")
async def edit_form(post_id: int) -> Response:
    async def render(session, post):
        return await render_edit_page(session.actor, post, session.csrf_token)

    return await own_work_page(post_id, render)


@bp.post("/works/<int:post_id>/edit")
async def edit(post_id: int) -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    person, fields = form.person, form.form
    try:
        post = await own_work(person, post_id)
    except UserError as exc:
        return await page("message.html", 404, title="No such work", message=str(exc))
    count = await MediaAttachment.filter(post=post).count()
    try:
        chosen = {int(a) for a in fields.getlist("albums") if a.isdigit()}
        albums = {a.pk: a for a in await _albums_of(person)}
        if not chosen <= set(albums):
            raise PostError("one of the albums is not yours")
        await edit_work(
            current_instance(),
            person,
            post,
            WorkChange(
                title=fields.get("title", ""),
                description=fields.get("description", ""),
                tags=parse_tags(fields.get("tags", "")),
                content_warning=fields.get("content_warning", ""),
                sensitive=fields.get("sensitive") == "1",
                alts=[fields.get(f"alt{n}", "") for n in range(1, count + 1)],
            ),
        )
        current = set(await AlbumItem.filter(post=post).values_list("album_id", flat=True))  # type: ignore[arg-type]
        for album_id in chosen - current:
            await album_service.add_work(albums[album_id], post)
        for album_id in current - chosen:
            await album_service.remove_work(albums[album_id], post.pk)
    except UserError as exc:
        return await render_edit_page(person, post, form.session.csrf_token, str(exc), 400)
    return redirect(post.url or post.uri, 303)


@bp.post("/works/<int:post_id>/pin")
async def pin(post_id: int) -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        post = await own_work(form.person, post_id)
        await set_pinned(current_instance(), form.person, post, form.form.get("pinned") == "1")
    except UserError as exc:
        return await page("message.html", 400, title="Cannot pin", message=str(exc))
    return redirect(f"/@{form.person.username}", 303)


@bp.post("/works/<int:post_id>/delete")
async def delete(post_id: int) -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    if form.form.get("confirm") != "yes":
        return await page(
            "message.html", 400, title="Not deleted", message="tick the box to confirm"
        )
    try:
        post = await own_work(form.person, post_id)
        await delete_post(current_instance(), form.person, post.uri)
    except UserError as exc:
        return await page("message.html", 404, title="No such work", message=str(exc))
    return redirect(f"/@{form.person.username}", 303)


async def _albums_page(session, error: str | None = None, status: int = 200) -> Response:
    albums = await Album.filter(owner=session.actor).order_by("title")
    counts = {a.pk: await AlbumItem.filter(album=a).count() for a in albums}
    return await page(
        "albums.html",
        status,
        albums=[(a, counts[a.pk]) for a in albums],
        csrf=session.csrf_token,
        error=error,
        urls=current_instance().urls,
    )


@bp.get("/albums")
async def albums() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _albums_page(session)


@bp.post("/albums")
async def create_album() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        album = await album_service.create_album(
            form.person, form.form.get("title", ""), form.form.get("description", "")
        )
    except UserError as exc:
        return await _albums_page(form.session, str(exc), 400)
    return redirect(f"/albums/{album.pk}", 303)


async def _arrange_page(session, album: Album, error: str | None = None, status: int = 200):
    return await page(
        "album_edit.html",
        status,
        album=album,
        works=await album_works(album),
        csrf=session.csrf_token,
        error=error,
        urls=current_instance().urls,
    )


@bp.get("/albums/<int:album_id>")
async def arrange(album_id: int) -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    try:
        album = await album_service.own_album(session.actor, album_id)
    except UserError as exc:
        return await page("message.html", 404, title="No such album", message=str(exc))
    return await _arrange_page(session, album)


async def _album_action(album_id: int, action) -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        album = await album_service.own_album(form.person, album_id)
    except UserError as exc:
        return await page("message.html", 404, title="No such album", message=str(exc))
    try:
        target = await action(album, form.form)
    except (UserError, ValueError) as exc:
        return await _arrange_page(form.session, album, str(exc), 400)
    return redirect(target or f"/albums/{album_id}", 303)


def _post_id(fields) -> int:
    raw = fields.get("post", "")
    if not raw.isdigit():
        raise ValueError("which work? the form did not say")
    return int(raw)


@bp.post("/albums/<int:album_id>/move")
async def move(album_id: int) -> Response:
    async def action(album, fields):
        offset = fields.get("offset", "")
        if offset not in ("-1", "1"):
            raise ValueError("a work moves one place up (-1) or down (1)")
        await album_service.move_work(album, _post_id(fields), int(offset))
        # Back to the moved work, so that a keyboard user's next Tab is beside it again.
        return f"/albums/{album.pk}#item-{_post_id(fields)}"

    return await _album_action(album_id, action)


@bp.post("/albums/<int:album_id>/remove")
async def remove(album_id: int) -> Response:
    async def action(album, fields):
        await album_service.remove_work(album, _post_id(fields))

    return await _album_action(album_id, action)


@bp.post("/albums/<int:album_id>/edit")
async def edit_album(album_id: int) -> Response:
    async def action(album, fields):
        await album_service.edit_album(
            album, fields.get("title", ""), fields.get("description", "")
        )

    return await _album_action(album_id, action)


@bp.post("/albums/<int:album_id>/delete")
async def delete_album(album_id: int) -> Response:
    async def action(album, fields):
        if fields.get("confirm") != "yes":
            raise ValueError("tick the box to confirm")
        await album.delete()
        return "/albums"

    return await _album_action(album_id, action)


def upload_limit(media_bytes: int) -> int:
    """The largest upload form body: two full-size images (most works are far smaller; the
    request is buffered, so the bound is also a memory bound)."""
    return 2 * media_bytes + 1_000_000
