"""A member's notifications on the web: the same records as the client API's (new followers
and requests, likes, boosts, replies and mentions, new works of accounts with the bell on,
edits of boosted works) and the member's own notices (a work cloaked or its cloak failed, a
moderator's decision on a held work, a report resolved). Unread ones are marked, counted in
the navigation, and read with "Mark all read", which moves the same marker apps move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quart import Blueprint, Response, redirect, request

from cara_fed.routes.web import current_session, page, sign_in_first, signed_in_form
from cara_fed.store.api_models import Notification
from cara_fed.store.audience import may_see
from cara_fed.store.models import Actor, Post
from cara_fed.store.notifications import OWN_KINDS, last_read, mark_read, shown_to

bp = Blueprint("notifications", __name__)
PAGE = 40


@dataclass(frozen=True)
class Shown:
    id: int
    kind: str
    account: Actor
    post: Post | None
    unread: bool
    at: datetime


async def _shown(member: Actor, rows: list[Notification], read: int) -> list[Shown]:
    """Each notification with its post, when the member may still see it; one about a post
    that is gone is left out, except the member's own notices (a rejected work is gone)."""
    uris = {r.post_uri for r in rows if r.post_uri}
    posts = {p.uri: p for p in await Post.filter(uri__in=uris).prefetch_related("author")}
    shown = []
    for row in rows:
        post = posts.get(row.post_uri or "")
        if post is not None and not await may_see(member, post):
            post = None
        if row.post_uri and post is None and row.kind not in OWN_KINDS:
            continue
        shown.append(Shown(row.pk, row.kind, row.account, post, row.pk > read, row.created_at))
    return shown


@bp.get("/notifications")
async def notifications() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    member = session.actor
    query = await shown_to(member)
    before = request.args.get("max_id", "")
    if before.isdigit() and len(before) <= 19:
        query = query.filter(id__lt=int(before))
    rows = await query.limit(PAGE)
    entries = await _shown(member, rows, await last_read(member))
    return await page(
        "notifications.html",
        entries=entries,
        older=rows[-1].pk if len(rows) == PAGE else None,
        csrf=session.csrf_token,
    )


@bp.post("/notifications/read")
async def read_all() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    newest = await (await shown_to(form.person)).first()
    if newest is not None:
        await mark_read(form.person, "notifications", newest.pk)
    return redirect("/notifications", 303)
