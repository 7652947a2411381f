"""Posts and activities, each dereferenceable at its id."""

from __future__ import annotations

from quart import Blueprint, Response, redirect

from activitypub.values import as_list, id_of
from activitypub.vocab import CONTEXT
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import as_response, error, wants_activitypub
from cara_fed.routes.pages import render_work
from cara_fed.routes.signed import signed_fetch_gate
from cara_fed.routes.web import current_viewer
from cara_fed.services.served_documents import activity_now, note_now, post_of
from cara_fed.store.audience import may_see
from cara_fed.store.models import PUBLIC_VISIBILITIES, OutboundActivity, Post
from federation.signatures.verify import KeyHolder

bp = Blueprint("posts", __name__)


async def _local_post(username: str, post_id: int) -> Post | None:
    """A local post anyone may look up; held posts and posts still being cloaked do not exist
    for the public (a deleted one answers with its Tombstone)."""
    return await Post.get_or_none(
        id=post_id,
        local=True,
        held=False,
        cloak_pending=False,
        author__username=username,
        author__local=True,
    ).prefetch_related("author")


def _tombstone(uri: str) -> Response:
    return as_response({"@context": CONTEXT, "id": uri, "type": "Tombstone"}, status=410)


async def _readable_by(post: Post, signer: KeyHolder | None) -> bool:
    """Public and unlisted posts by anyone; followers-only ones by a server signing as one of
    the author's accepted followers (a pending request gives nothing, Pixelfed
    CVE-2025-30741); followers-only and direct ones by a server signing as someone the post
    names (cara_fed/store/audience.py)."""
    return await may_see(signer.owner if signer else None, post)


async def _post_document(post: Post) -> Response:
    denied, signer = await signed_fetch_gate()
    if denied:
        return denied
    if post.deleted_at is not None:
        return _tombstone(post.uri)
    if not await _readable_by(post, signer):
        return error(404, "no such post")
    return as_response(await note_now(current_instance(), post))


@bp.get("/users/<username>/statuses/<int:post_id>")
async def post_by_id(username: str, post_id: int) -> Response:
    post = await _local_post(username, post_id)
    if post is None:
        return error(404, "no such post")
    if wants_activitypub():
        return await _post_document(post)
    return redirect(post.url or post.uri, 302)


@bp.get("/@<username>/<int:post_id>")
async def post_page(username: str, post_id: int) -> Response:
    post = await _local_post(username, post_id)
    if post is None:
        return error(404, "no such post")
    if wants_activitypub():
        return await _post_document(post)
    if post.deleted_at is not None:
        return error(410, "this post was deleted")
    if not await may_see(await current_viewer(), post):
        return error(404, "no such post")
    response = await render_work(post)
    if post.visibility not in PUBLIC_VISIBILITIES:
        response.headers["Cache-Control"] = "private, no-store"  # a follower's page alone
    return response


async def _activity(uri: str) -> Response:
    activity = await OutboundActivity.get_or_none(uri=uri)
    if activity is None:
        return error(404, "no such activity")
    denied, signer = await signed_fetch_gate()
    if denied:
        return denied
    post = await post_of(activity)
    if post is not None and post.deleted_at is not None:
        return _tombstone(uri)
    if post is not None:
        if not await _readable_by(post, signer):
            return error(404, "no such activity")
    elif not activity.public:
        # Follows, Accepts and Undos are shown only to the servers they were addressed to.
        addressed = {id_of(v) for v in as_list(activity.body.get("to"))}
        addressed.add(id_of(activity.body.get("object")))
        if signer is None or signer.owner not in addressed:
            return error(404, "no such activity")
    return as_response(await activity_now(current_instance(), activity, post))


@bp.get("/users/<username>/statuses/<int:post_id>/activity")
async def create_activity(username: str, post_id: int) -> Response:
    return await _activity(current_instance().urls.post(username, post_id) + "/activity")


@bp.get("/activities/<uuid>")
async def activity_by_id(uuid: str) -> Response:
    return await _activity(f"{current_instance().urls.base}/activities/{uuid}")
