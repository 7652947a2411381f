"""A member's notifications: follows and follow requests, favourites and boosts of their
works, mentions; newest first, paged by id, filtered by `types[]` and `exclude_types[]`,
dismissed one at a time or all at once."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.convert import to_api_statuses
from cara_fed.routes.api.accounts import account_document
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.pages import with_links
from cara_fed.routes.api.responses import api_error
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_statuses
from cara_fed.store.api_models import Notification
from cara_fed.store.models import Actor, Post
from cara_fed.store.notifications import KINDS, shown_to

bp = Blueprint("api_notifications", __name__)
WITH_STATUS = {"favourite", "reblog", "mention", "status", "update"}


async def _documents(member: Actor, rows: list[Notification]) -> list[dict]:
    """The notifications whose status the member may still see (a deleted work's go). The
    page's statuses are read and converted together, not one query set per notification."""
    uris = {row.post_uri for row in rows if row.kind in WITH_STATUS and row.post_uri}
    posts = [p for p in await Post.filter(uri__in=uris) if await api_statuses.can_see(member, p)]
    documents = await api_statuses.statuses(current_instance(), member, posts)
    statuses = {post.uri: document for post, document in zip(posts, documents, strict=True)}
    shown = []
    for row in rows:
        status = statuses.get(row.post_uri or "")
        if row.kind in WITH_STATUS and status is None:
            continue
        shown.append(to_api_statuses.notification(row, await account_document(row.account), status))
    return shown


@bp.get("/api/v1/notifications")
async def index() -> Response:
    token = await authorized("read:notifications")
    if isinstance(token, Response):
        return token
    page = api_statuses.Page.of(request.args)
    # Mastodon's kinds only: apps know no others (the web lists the member's own notices).
    query = (await shown_to(token.actor)).filter(kind__in=KINDS)
    wanted = request.args.getlist("types[]") + request.args.getlist("types")
    if wanted:
        query = query.filter(kind__in=wanted)
    unwanted = request.args.getlist("exclude_types[]") + request.args.getlist("exclude_types")
    if unwanted:
        query = query.exclude(kind__in=unwanted)
    rows = await page.apply(query).limit(page.limit)
    if page.min_id is not None:
        rows = list(reversed(rows))
    response = json_response(await _documents(token.actor, rows))
    return with_links(response, [row.pk for row in rows])


async def _own(member: Actor, notification_id: str) -> Notification | None:
    if not notification_id.isdigit() or len(notification_id) > 19:
        return None
    return await Notification.get_or_none(
        id=int(notification_id), recipient=member
    ).prefetch_related("account")


@bp.get("/api/v1/notifications/<notification_id>")
async def show(notification_id: str) -> Response:
    token = await authorized("read:notifications")
    if isinstance(token, Response):
        return token
    row = await _own(token.actor, notification_id)
    documents = await _documents(token.actor, [row]) if row else []
    if not documents:
        return api_error(404, "Record not found")
    return json_response(documents[0])


@bp.post("/api/v1/notifications/<notification_id>/dismiss")
async def dismiss(notification_id: str) -> Response:
    token = await authorized("write:notifications")
    if isinstance(token, Response):
        return token
    row = await _own(token.actor, notification_id)
    if row is None:
        return api_error(404, "Record not found")
    await row.delete()
    return json_response({})


@bp.post("/api/v1/notifications/clear")
async def clear() -> Response:
    token = await authorized("write:notifications")
    if isinstance(token, Response):
        return token
    await Notification.filter(recipient=token.actor).delete()
    return json_response({})
