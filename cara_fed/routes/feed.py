"""The signed-in home page: the feed of followed accounts through the member's saved filters."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import current_session, page, sign_in_first, signed_in_form
from cara_fed.services.feed import FeedFilters, home_feed, save_filters, tags_to_hide
from cara_fed.store.models import Follow

bp = Blueprint("feed", __name__)


async def render_feed(session, *, error: str | None = None, status: int = 200) -> Response:
    person = session.actor
    filters = FeedFilters.from_saved(person.feed_filters)
    pending = await Follow.filter(follower=person, state="pending").prefetch_related("followee")
    notice = {"1": "Follow request sent.", "now": "Followed."}.get(request.args.get("followed", ""))
    return await page(
        "feed.html",
        status,
        entries=await home_feed(person, filters),
        filters=filters,
        pending=pending,
        csrf=session.csrf_token,
        error=error,
        notice=notice,
        urls=current_instance().urls,
    )


@bp.get("/home")
async def home() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await render_feed(session)


@bp.post("/home/filters")
async def filters() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    fields = form.form
    try:
        chosen = FeedFilters(
            hide_tags=tags_to_hide(fields.get("hide_tags", "")),
            **{
                k: fields.get(k) == "1"
                for k in ("hide_sensitive", "media_only", "no_boosts", "hide_replies")
            },
        )
    except UserError as exc:
        return await render_feed(form.session, error=str(exc), status=400)
    await save_filters(form.person, chosen)
    return redirect("/home", 303)
