"""Statuses in the client API: post a work from an app (its images uploaded first), read
one and its thread, delete it. A work posts as it does from the web: screened, cloaked
when the artist cloaks, and sent to followers once its images are published; the app shows
it to its author at once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from quart import Blueprint, Response, request

from cara_fed.errors import UserError
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error, body_params, throttled
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import (
    api_edits,
    api_statuses,
    api_uploads,
    bookmarks,
    idempotency,
    interactions,
    mentions,
    posting,
    works,
)
from cara_fed.services.mentions import handle, profile_url
from cara_fed.services.post_input import Mention, PostDraft, PostError, parse_tags
from cara_fed.services.post_text import html_to_text
from cara_fed.store.api_models import OAuthToken
from cara_fed.store.models import Actor, Post

if TYPE_CHECKING:
    from cara_fed.instance import Instance

bp = Blueprint("api_statuses", __name__)

# Mastodon's visibilities → ours.
VISIBILITIES = {
    "public": "public",
    "unlisted": "unlisted",
    "private": "followers",
    "direct": "direct",
}
HASHTAG = re.compile(r"(?<![\w/#])#(\w+)")


def _media_ids(params: dict) -> list[str]:
    ids = params.get("media_ids") or params.get("media_ids[]") or []
    return [str(i) for i in (ids if isinstance(ids, list) else [ids])]


async def _params() -> dict:
    """Form fields (repeated media_ids[] kept as a list) or a JSON object."""
    if request.is_json:
        return await body_params()
    form = await request.form
    params = {key: form.get(key) for key in form}
    params["media_ids"] = form.getlist("media_ids[]") + form.getlist("media_ids")
    return params


async def status_document(viewer: Actor, item: api_statuses.Shown) -> dict:
    [document] = await api_statuses.statuses(current_instance(), viewer, [item])
    return document


async def _mentions(
    instance: Instance, member: Actor, text: str, parent: Post | None
) -> tuple[Mention, ...]:
    """The people the text names, and the author of the post it answers (addressed even
    when the app did not write their name, so that a reply reaches them)."""
    named = [
        Mention(written, actor.uri, profile_url(actor))
        for written, actor in await mentions.named_in(instance, text)
    ]
    if parent is not None:
        author = await parent.author
        if author.pk != member.pk and all(m.uri != author.uri for m in named):
            named.append(Mention(handle(author), author.uri, profile_url(author)))
    return tuple(m for m in named if m.uri != member.uri)


@bp.post("/api/v1/statuses")
async def create() -> Response:
    token = await authorized("write:statuses")
    if isinstance(token, Response):
        return token
    instance, member = current_instance(), token.actor
    limited = await throttled("status", instance.status_throttle, str(member.pk))
    if limited:
        return limited
    key = (request.headers.get("Idempotency-Key") or "")[:255]
    if key:
        earlier = await idempotency.reserve(member, key, instance.clock.now())
        if earlier is not None:
            return await _made_before(member, earlier.status_id)
    try:
        response, post = await _create(instance, member)
    except BaseException:
        if key:
            await idempotency.release(member, key)
        raise
    if key and post is not None:
        await idempotency.fulfil(member, key, post.pk)
    elif key:
        await idempotency.release(member, key)
    return response


async def _made_before(member: Actor, status_id: int) -> Response:
    if status_id == idempotency.IN_FLIGHT:
        return api_error(409, "a request with this Idempotency-Key is still being handled")
    post = await Post.get_or_none(id=status_id)
    if post is None:
        return api_error(422, "the status made with this Idempotency-Key has been deleted")
    return json_response(await status_document(member, post))


async def _create(instance: Instance, member: Actor) -> tuple[Response, Post | None]:
    params = await _params()
    visibility = VISIBILITIES.get(params.get("visibility") or "public")
    parent = None
    if params.get("in_reply_to_id"):
        parent = await api_statuses.visible_status(member, str(params["in_reply_to_id"]))
        if parent is None:
            return api_error(404, "Record not found"), None
    try:
        if visibility is None:
            raise PostError("visibility must be public, unlisted, private or direct")
        if params.get("poll"):
            raise PostError("polls are not supported")
        found = await api_uploads.uploads_for_status(instance, member, _media_ids(params))
        text = str(params.get("status") or "")
        draft = PostDraft(
            uploads=tuple(upload for _, upload in found),
            text=text,
            # Mastodon takes a status's hashtags from its text.
            tags=tuple(parse_tags(" ".join(HASHTAG.findall(text)))),
            summary=str(params.get("spoiler_text") or ""),
            sensitive=str(params.get("sensitive")).lower() in ("true", "1", "on"),
            visibility=visibility,
            in_reply_to=parent.uri if parent else None,
            mentions=await _mentions(instance, member, text, parent),
            # cara-fed's own parameter: how the work was made (digital, photo, scan), for its
            # Content Credentials; absent, the member's default.
            made_as=str(params["made_as"]) if params.get("made_as") else None,
        )
        post = await posting.publish_post(instance, member, draft)
    except PostError as exc:
        return api_error(422, str(exc)), None
    await api_uploads.discard(instance, [row for row, _ in found])
    return json_response(await status_document(member, post)), post


async def _with_item(
    status_id: str, scope: str = "read:statuses"
) -> tuple[OAuthToken, api_statuses.Shown] | Response:
    """The caller's token and the status the path names (a post or a boost), if they may
    see it (else 404, as Mastodon answers for what exists but is not theirs to see)."""
    token = await authorized(scope)
    if isinstance(token, Response):
        return token
    item = await api_statuses.visible_item(token.actor, status_id)
    if item is None:
        return api_error(404, "Record not found")
    return token, item


async def _with_status(
    status_id: str, scope: str = "read:statuses"
) -> tuple[OAuthToken, Post] | Response:
    """As _with_item, but a boost's id names the boosted post, which apps act on."""
    found = await _with_item(status_id, scope)
    if isinstance(found, Response):
        return found
    token, item = found
    return token, item.post if isinstance(item, api_statuses.Boost) else item


@bp.get("/api/v1/statuses/<status_id>")
async def show(status_id: str) -> Response:
    found = await _with_item(status_id)
    if isinstance(found, Response):
        return found
    token, item = found
    return json_response(await status_document(token.actor, item))


@bp.get("/api/v1/statuses/<status_id>/source")
async def source(status_id: str) -> Response:
    """What an app's edit form starts from: the text as typed (StatusSource)."""
    found = await _with_status(status_id)
    if isinstance(found, Response):
        return found
    token, post = found
    if post.author_id != token.actor.pk:  # type: ignore[attr-defined]
        return api_error(404, "Record not found")
    return json_response(
        {"id": str(post.pk), "text": html_to_text(post.content), "spoiler_text": post.summary or ""}
    )


@bp.get("/api/v1/statuses/<status_id>/context")
async def context(status_id: str) -> Response:
    found = await _with_status(status_id)
    if isinstance(found, Response):
        return found
    token, post = found
    ancestors, descendants = await api_statuses.thread(token.actor, post)
    instance = current_instance()
    return json_response(
        {
            "ancestors": await api_statuses.statuses(instance, token.actor, ancestors),
            "descendants": await api_statuses.statuses(instance, token.actor, descendants),
        }
    )


async def _delete_boost(token: OAuthToken, boost: api_statuses.Boost) -> Response:
    """Deleting one's boost takes the boost back, as Mastodon does; never the boosted post."""
    if boost.row.actor_id != token.actor.pk:  # type: ignore[attr-defined]
        return api_error(404, "Record not found")
    document = await status_document(token.actor, boost)
    await interactions.remove(current_instance(), token.actor, boost.post, "Announce")
    return json_response(document)


@bp.delete("/api/v1/statuses/<status_id>")
async def delete(status_id: str) -> Response:
    found = await _with_item(status_id, "write:statuses")
    if isinstance(found, Response):
        return found
    token, item = found
    if isinstance(item, api_statuses.Boost):
        return await _delete_boost(token, item)
    post = item
    if post.author_id != token.actor.pk:  # type: ignore[attr-defined]
        return api_error(404, "Record not found")
    # Mastodon answers with the deleted status (its text, for "delete and redraft").
    document = await status_document(token.actor, post)
    document["text"] = html_to_text(post.content)
    await posting.delete_post(current_instance(), token.actor, post.uri)
    return json_response(document)


async def _interaction(status_id: str, kind: str, *, undo: bool) -> Response:
    scope = "write:favourites" if kind == "Like" else "write:statuses"
    found = await _with_status(status_id, scope)
    if isinstance(found, Response):
        return found
    token, post = found
    try:
        if undo:
            await interactions.remove(current_instance(), token.actor, post, kind)
        else:
            await interactions.add(current_instance(), token.actor, post, kind)
    except UserError as exc:
        return api_error(422, str(exc))
    if kind == "Announce" and not undo:
        # Mastodon answers a boost with the new boost status, the boosted one inside it.
        boost = await interactions.boost_of(token.actor, post)
        if boost is not None:
            return json_response(
                await status_document(token.actor, api_statuses.Boost(boost, post))
            )
    return json_response(await status_document(token.actor, post))


@bp.post("/api/v1/statuses/<status_id>/favourite")
async def favourite(status_id: str) -> Response:
    return await _interaction(status_id, "Like", undo=False)


@bp.post("/api/v1/statuses/<status_id>/unfavourite")
async def unfavourite(status_id: str) -> Response:
    return await _interaction(status_id, "Like", undo=True)


@bp.post("/api/v1/statuses/<status_id>/reblog")
async def reblog(status_id: str) -> Response:
    return await _interaction(status_id, "Announce", undo=False)


@bp.post("/api/v1/statuses/<status_id>/unreblog")
async def unreblog(status_id: str) -> Response:
    return await _interaction(status_id, "Announce", undo=True)


async def _bookmark(status_id: str, on: bool) -> Response:
    found = await _with_status(status_id, "write:bookmarks")
    if isinstance(found, Response):
        return found
    token, post = found
    if on:
        await bookmarks.add(current_instance(), token.actor, post)
    else:
        await bookmarks.remove(token.actor, post)
    return json_response(await status_document(token.actor, post))


@bp.post("/api/v1/statuses/<status_id>/bookmark")
async def bookmark(status_id: str) -> Response:
    return await _bookmark(status_id, True)


@bp.post("/api/v1/statuses/<status_id>/unbookmark")
async def unbookmark(status_id: str) -> Response:
    return await _bookmark(status_id, False)


@bp.put("/api/v1/statuses/<status_id>")
async def edit(status_id: str) -> Response:
    found = await _with_status(status_id, "write:statuses")
    if isinstance(found, Response):
        return found
    token, post = found
    params = await _params()
    try:
        post = await api_edits.edit_status(
            current_instance(),
            token.actor,
            post,
            params,
            HASHTAG.findall(str(params.get("status") or "")),
        )
    except PostError as exc:
        return api_error(422, str(exc))
    return json_response(await status_document(token.actor, post))


async def _pin(status_id: str, pinned: bool) -> Response:
    found = await _with_status(status_id, "write:accounts")
    if isinstance(found, Response):
        return found
    token, post = found
    if post.author_id != token.actor.pk:  # type: ignore[attr-defined]
        return api_error(422, "Validation failed: Someone else's post cannot be pinned")
    try:
        post = await works.set_pinned(current_instance(), token.actor, post, pinned)
    except PostError as exc:
        return api_error(422, f"Validation failed: {exc}")
    return json_response(await status_document(token.actor, post))


@bp.post("/api/v1/statuses/<status_id>/pin")
async def pin(status_id: str) -> Response:
    return await _pin(status_id, True)


@bp.post("/api/v1/statuses/<status_id>/unpin")
async def unpin(status_id: str) -> Response:
    return await _pin(status_id, False)
