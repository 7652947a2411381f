"""A member's safety tools on the web: the "Blocks and mutes" settings page (block or mute an
account by its address, block a server, and lift each), and the report page reached from a
post or an account ("Report or block"), which also offers to block or mute. The admins'
reports queue is in cara_fed/routes/admin_reports.py. Every POST goes through
signed_in_form (session, CSRF, same site); a refusal says why and changes nothing."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import current_session, page, sign_in_first, signed_in_form
from cara_fed.services import abuse_reports, blocks
from cara_fed.store.blocks import block_state, blocked_domains
from cara_fed.store.models import Actor, Post

bp = Blueprint("safety", __name__)

DONE = {
    "blocked": "Blocked.",
    "unblocked": "Unblocked.",
    "muted": "Muted.",
    "unmuted": "Unmuted.",
    "server": "That server is blocked for you.",
    "unserver": "That server is no longer blocked for you.",
    "reported": "Thank you: the admins have your report.",
}


async def _settings_page(session, error: str | None = None, status: int = 200) -> Response:
    member = session.actor
    return await page(
        "safety.html",
        status,
        blocked=await blocks.blocked_accounts(member),
        muted=await blocks.muted_accounts(member),
        domains=await blocked_domains(member),
        csrf=session.csrf_token,
        error=error,
        done=DONE.get(request.args.get("done", "")),
    )


@bp.get("/settings/safety")
async def settings() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _settings_page(session)


ACTIONS = {
    "block": (lambda i, m, a: blocks.block(i, m, a), "blocked"),
    "unblock": (lambda i, m, a: blocks.unblock(i, m, a), "unblocked"),
    "mute": (lambda i, m, a: blocks.mute(i, m, a), "muted"),
    "unmute": (lambda i, m, a: blocks.unmute(m, a), "unmuted"),
    "block_domain": (lambda i, m, a: blocks.block_domain(i, m, a), "server"),
    "unblock_domain": (lambda i, m, a: blocks.unblock_domain(i, m, a), "unserver"),
}


@bp.post("/settings/safety")
async def change() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    action = ACTIONS.get(form.form.get("action", ""))
    if action is None:
        return await _settings_page(form.session, "choose block, mute or unblock", 400)
    run, done = action
    try:
        await run(current_instance(), form.person, (form.form.get("account") or "").strip())
    except UserError as exc:
        return await _settings_page(form.session, str(exc), 400)
    return redirect(f"/settings/safety?done={done}", 303)


async def _report_page(
    session, account: Actor, post: Post | None, error=None, status=200, comment=""
) -> Response:
    state = await block_state(session.actor, account)
    return await page(
        "report.html",
        status,
        account=account,
        post=post,
        blocking=state.blocking,
        muting=state.muting,
        csrf=session.csrf_token,
        error=error,
        comment=comment,
        max_comment=abuse_reports.MAX_COMMENT,
    )


async def _subject(values) -> tuple[Actor | None, Post | None]:
    """The account (by its URI) and the post (by its URI, one of that account's) a report
    link names; only what is stored here."""
    post_uri = values.get("post") or ""
    post = await Post.get_or_none(uri=post_uri).prefetch_related("author") if post_uri else None
    if post is not None:
        return post.author, post
    account_uri = values.get("account") or ""
    return (await Actor.get_or_none(uri=account_uri) if account_uri else None), None


@bp.get("/report")
async def report_page() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    account, post = await _subject(request.args)
    if account is None or account.pk == session.actor.pk:
        return await page(
            "message.html", 404, title="Not found", message="there is no such account here"
        )
    return await _report_page(session, account, post)


@bp.post("/report")
async def report() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    account, post = await _subject(form.form)
    comment = form.form.get("comment") or ""
    if account is None:
        return await page(
            "message.html", 404, title="Not found", message="there is no such account here"
        )
    try:
        await abuse_reports.report(
            current_instance(), form.person, account.uri, [post.uri] if post else [], comment
        )
    except UserError as exc:
        return await _report_page(form.session, account, post, str(exc), 400, comment)
    return redirect("/settings/safety?done=reported", 303)
