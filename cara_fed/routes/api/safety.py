"""Blocks, mutes, a member's blocked servers and reports in the client API, as Mastodon's
methods (docs.joinmastodon.org/methods/accounts#block, /blocks, /mutes, /domain_blocks,
/reports): the same services the web and the CLI use."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.errors import UserError
from cara_fed.routes.api.accounts import account_document, relationship_document, with_account
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.responses import api_error, body_params
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import abuse_reports, blocks
from cara_fed.store.blocks import blocked_domains
from cara_fed.store.models import Actor, Post

bp = Blueprint("api_safety", __name__)


def _true(value: object, default: bool) -> bool:
    return default if value is None else str(value).lower() in ("true", "1", "on")


async def _change(scope: str, account_id: str, change) -> Response:
    found = await with_account(scope, account_id)
    if isinstance(found, Response):
        return found
    token, target = found
    try:
        await change(token.actor, target)
    except UserError as exc:
        return api_error(422, str(exc))
    return json_response(await relationship_document(token.actor, target))


@bp.post("/api/v1/accounts/<account_id>/block")
async def block(account_id: str) -> Response:
    return await _change(
        "write:blocks",
        account_id,
        lambda member, target: blocks.block(current_instance(), member, target.uri),
    )


async def _lift(undo, member: Actor, target: Actor) -> None:
    """Mastodon answers unblock and unmute with the relationship even when there was none."""
    try:
        await undo(member, target)
    except blocks.BlockError:
        pass


@bp.post("/api/v1/accounts/<account_id>/unblock")
async def unblock(account_id: str) -> Response:
    return await _change(
        "write:blocks",
        account_id,
        lambda member, target: _lift(
            lambda m, t: blocks.unblock(current_instance(), m, t.uri), member, target
        ),
    )


@bp.post("/api/v1/accounts/<account_id>/mute")
async def mute(account_id: str) -> Response:
    params = await body_params()
    notifications = _true(params.get("notifications"), True)
    return await _change(
        "write:mutes",
        account_id,
        lambda member, target: blocks.mute(
            current_instance(), member, target.uri, notifications=notifications
        ),
    )


@bp.post("/api/v1/accounts/<account_id>/unmute")
async def unmute(account_id: str) -> Response:
    return await _change(
        "write:mutes",
        account_id,
        lambda member, target: _lift(lambda m, t: blocks.unmute(m, t.uri), member, target),
    )


@bp.get("/api/v1/blocks")
async def blocked() -> Response:
    token = await authorized("read:blocks")
    if isinstance(token, Response):
        return token
    return json_response(
        [await account_document(a) for a in await blocks.blocked_accounts(token.actor)]
    )


@bp.get("/api/v1/mutes")
async def muted() -> Response:
    token = await authorized("read:mutes")
    if isinstance(token, Response):
        return token
    rows = await blocks.muted_accounts(token.actor)
    return json_response([await account_document(r.target) for r in rows])


@bp.get("/api/v1/domain_blocks")
async def domains() -> Response:
    token = await authorized("read:blocks")
    if isinstance(token, Response):
        return token
    return json_response(await blocked_domains(token.actor))


async def _domain_change(block_it: bool) -> Response:
    token = await authorized("write:blocks")
    if isinstance(token, Response):
        return token
    params = await body_params()
    params.update(request.args)  # Mastodon's apps send the domain in the query too
    domain = str(params.get("domain") or "")
    try:
        change = blocks.block_domain if block_it else blocks.unblock_domain
        await change(current_instance(), token.actor, domain)
    except blocks.BlockError as exc:
        if block_it or "does not block" not in str(exc):
            return api_error(422, str(exc))
    return json_response({})


@bp.post("/api/v1/domain_blocks")
async def block_domain() -> Response:
    return await _domain_change(True)


@bp.delete("/api/v1/domain_blocks")
async def unblock_domain() -> Response:
    return await _domain_change(False)


@bp.post("/api/v1/reports")
@bp.post("/api/v1/reports/")  # Mastodon.py posts here; Rails takes either
async def report() -> Response:
    """A report for the admins: account_id, status_ids[], comment (Mastodon's fields)."""
    token = await authorized("write:reports")
    if isinstance(token, Response):
        return token
    form = await request.form if not request.is_json else None
    params = await body_params()
    ids = form.getlist("status_ids[]") if form is not None else params.get("status_ids") or []
    account_id = str(params.get("account_id") or "")
    target = await Actor.get_or_none(id=int(account_id)) if account_id.isdigit() else None
    if target is None:
        return api_error(404, "Record not found")
    numbers = [int(i) for i in ids if str(i).isdigit()]
    if len(numbers) != len(ids):
        return api_error(422, "status_ids must be ids of statuses")
    uris = list(await Post.filter(id__in=numbers).values_list("uri", flat=True))
    if len(uris) != len(set(numbers)):
        return api_error(404, "Record not found")
    try:
        row = await abuse_reports.report(
            current_instance(), token.actor, target.uri, uris, str(params.get("comment") or "")
        )
    except UserError as exc:
        return api_error(422, f"Validation failed: {exc}")
    return json_response(
        {
            "id": str(row.pk),
            "action_taken": False,
            "action_taken_at": None,
            "category": "other",
            "comment": row.comment,
            "forwarded": False,
            "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
            "status_ids": [str(n) for n in numbers],
            "rule_ids": [],
            "target_account": await account_document(target),
        }
    )
