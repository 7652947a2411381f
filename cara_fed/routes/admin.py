"""The instance admins' pages: the sign-ups waiting under `registrations = "approval"`, with
Approve and Reject (like Mastodon's "Pending accounts"). The decisions are
cara_fed/services/signups.py's, the same the CLI makes.

Anonymous visitors are sent to sign in; members who are not admins get a 403 that says so.
Every POST goes through signed_in_form (session, CSRF, same site) before the role is checked,
and every refusal changes nothing."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.routes.web import admin_form, admin_session, page
from cara_fed.services import signups
from cara_fed.services.accounts import USERNAME
from cara_fed.store.models import WebSession

bp = Blueprint("admin", __name__)
NOT_ADMIN = "only the instance's admins can decide sign-ups"


async def _signups_page(
    session: WebSession, error: str | None = None, status: int = 200, done: str | None = None
) -> Response:
    return await page(
        "admin_signups.html",
        status,
        signups=await signups.waiting_signups(),
        csrf=session.csrf_token,
        error=error,
        done=done,
    )


def _done_notice() -> str | None:
    """What the last decision was, from the redirect after it; only a well-formed name is shown,
    so a crafted link cannot put odd text on the page."""
    for verb, outcome in (("approved", "they can sign in now"), ("rejected", "the name is free")):
        name = request.args.get(verb, "")
        if USERNAME.match(name):
            return f"{verb.capitalize()} {name}: {outcome}."
    return None


@bp.get("/admin/signups")
async def signups_page() -> Response:
    session = await admin_session(NOT_ADMIN)
    if isinstance(session, Response):
        return session
    return await _signups_page(session, done=_done_notice())


async def _decide(name: str, approve: bool) -> Response:
    form = await admin_form(NOT_ADMIN)
    if isinstance(form, Response):
        return form
    if not approve and form.form.get("confirm") != "yes":
        return await _signups_page(form.session, f"tick the box to confirm rejecting {name}", 400)
    try:
        await (signups.approve if approve else signups.reject)(name)
    except signups.AlreadyApproved as exc:
        return await _signups_page(form.session, str(exc), 409)
    except signups.NoSuchSignup as exc:
        return await _signups_page(form.session, str(exc), 404)
    return redirect(f"/admin/signups?{'approved' if approve else 'rejected'}={name}", 303)


@bp.post("/admin/signups/<name>/approve")
async def approve(name: str) -> Response:
    return await _decide(name, approve=True)


@bp.post("/admin/signups/<name>/reject")
async def reject(name: str) -> Response:
    return await _decide(name, approve=False)
