"""A member's account on the web: editing the profile, deciding follow requests, following
someone here or on another server (by handle, by the button on a portfolio, or sent here by
"follow from your server"), and unfollowing."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.feed import render_feed
from cara_fed.routes.local_target import local_path
from cara_fed.routes.pages import person_named
from cara_fed.routes.web import (
    current_session,
    page,
    refused,
    sign_in_first,
    signed_in_form,
)
from cara_fed.services.cloak_choice import cloak_wanted
from cara_fed.services.credentials import made_as_form
from cara_fed.services.follow_requests import decide, pending_requests
from cara_fed.services.following import follow, followable, unfollow
from cara_fed.services.post_input import alt_text_required
from cara_fed.services.post_text import html_to_text
from cara_fed.services.profile import ProfileChange, edit_profile, parse_links
from cara_fed.store.models import Follow

bp = Blueprint("account", __name__)


async def _profile_page(session, error: str | None = None, status: int = 200, saved=False):
    person = session.actor
    return await page(
        "profile_edit.html",
        status,
        person=person,
        bio=html_to_text(person.summary),
        alt_required=alt_text_required(current_instance(), person),
        cloak_offered=current_instance().config.cloak.enabled,
        cloaked=cloak_wanted(current_instance(), person, None),
        made_as=made_as_form(current_instance(), person.made_as),
        csrf=session.csrf_token,
        error=error,
        saved=saved,
    )


@bp.get("/settings/profile")
async def profile_form() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _profile_page(session, saved=request.args.get("saved") == "1")


async def _file(form, name: str) -> bytes | None:
    file = form.files.get(name)
    return (file.read() or None) if file and file.filename else None


@bp.post("/settings/profile")
async def edit() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    fields = form.form
    cloaking = current_instance().config.cloak.enabled
    try:
        change = ProfileChange(
            display_name=fields.get("display_name", ""),
            bio=fields.get("bio", ""),
            avatar=await _file(form, "avatar"),
            header=await _file(form, "header"),
            manually_approves_followers=fields.get("manually_approves_followers") == "1",
            require_alt_text=fields.get("require_alt_text") == "1",
            cloak_images=(fields.get("cloak_images") == "1" if cloaking else None),
            cloak_review=_cloak_review(fields.get("cloak_review")) if cloaking else None,
            made_as=fields.get("made_as") or None,
            links=parse_links(
                [
                    (fields.get(f"link_name{n}", ""), fields.get(f"link_url{n}", ""))
                    for n in range(1, 5)
                ]
            ),
        )
        await edit_profile(current_instance(), form.person, change)
    except UserError as exc:
        return await _profile_page(form.session, str(exc), 400)
    return redirect("/settings/profile?saved=1", 303)


def _cloak_review(value: str | None) -> bool | None:
    """The profile's "when my images are cloaked" choice: publish, or check first (None, left
    as it is, from a form that did not have the choice)."""
    if not value:
        return None
    if value not in ("publish", "check"):
        raise UserError("choose whether cloaked works publish at once or wait for your check")
    return value == "check"


async def _requests_page(session, error: str | None = None, status: int = 200) -> Response:
    return await page(
        "requests.html",
        status,
        requests=await pending_requests(session.actor),
        csrf=session.csrf_token,
        error=error,
    )


@bp.get("/follow-requests")
async def requests_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _requests_page(session)


@bp.post("/follow-requests")
async def decide_request() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    decision = form.form.get("decision")
    try:
        if decision not in ("accept", "reject"):
            raise UserError("the decision is accept or reject")
        await decide(
            current_instance(),
            form.person,
            form.form.get("account", ""),
            accept=decision == "accept",
        )
    except UserError as exc:
        return await _requests_page(form.session, str(exc), 400)
    return redirect("/follow-requests", 303)


@bp.post("/follow")
async def follow_account() -> Response:
    """Follow by handle or actor URL; back to the feed, which lists the pending request."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        row, _ = await follow(current_instance(), form.person, form.form.get("account") or "")
    except UserError as exc:
        return await render_feed(form.session, error=str(exc), status=400)
    return redirect(f"/home?followed={'now' if row.state == 'accepted' else '1'}", 303)


async def _portfolio_button(username: str, *, following: bool) -> Response:
    """The Follow / Unfollow button of a portfolio or of a work's artist card: back to the
    page it was pressed on (`next`, a path on this site only), else the portfolio; either
    shows the new state."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    person = await person_named(username)
    if person is None:
        return await refused(f"there is no account named {username} here", 404, "Not found")
    change = follow if following else unfollow
    try:
        await change(current_instance(), form.person, person.uri)
    except UserError as exc:
        return await refused(str(exc), 400, "Cannot follow" if following else "Cannot unfollow")
    back = local_path(form.form.get("next"))
    return redirect(back or current_instance().urls.profile(username), 303)


@bp.post("/@<username>/follow")
async def follow_from_portfolio(username: str) -> Response:
    return await _portfolio_button(username, following=True)


@bp.post("/@<username>/unfollow")
async def unfollow_from_portfolio(username: str) -> Response:
    return await _portfolio_button(username, following=False)


async def _following_page(session, error: str | None = None, status: int = 200) -> Response:
    follows = (
        await Follow.filter(follower=session.actor)
        .order_by("-created_at")
        .prefetch_related("followee")
    )
    return await page(
        "following.html", status, follows=follows, csrf=session.csrf_token, error=error
    )


@bp.get("/following")
async def following_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _following_page(session)


@bp.post("/unfollow")
async def unfollow_account() -> Response:
    """Unfollow (or withdraw a request to) anyone, here or elsewhere: an Undo goes to their
    server when it is another."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    try:
        await unfollow(current_instance(), form.person, (form.form.get("account") or "").strip())
    except UserError as exc:
        return await _following_page(form.session, str(exc), 400)
    return redirect("/following", 303)


@bp.get("/authorize_interaction")
async def authorize_interaction() -> Response:
    """Where other servers' "follow from your server" forms send our members (the template in
    our WebFinger answers): confirm, then follow."""
    session = await current_session()
    if session is None:
        return sign_in_first()
    try:
        target = await followable(current_instance(), session.actor, request.args.get("uri") or "")
    except UserError as exc:
        return await page("message.html", 400, title="Cannot follow", message=str(exc))
    return await page("authorize.html", target=target, csrf=session.csrf_token)
