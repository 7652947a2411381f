"""Moving on the web (/settings/move): the accounts a member comes from (aliases), moving this
account to another with its followers, and the member's follows, blocks, mutes and blocked
servers as Mastodon's CSV files, to download and to import. The decisions are
cara_fed/services/moves.py's and relations_csv.py's, the same the CLI makes."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request

from cara_fed.errors import UserError
from cara_fed.routes.current import current_instance
from cara_fed.routes.web import current_session, page, sign_in_first, signed_in_form
from cara_fed.services import moves, relations_csv

bp = Blueprint("moves", __name__)
DONE = {
    "alias": "Alias added: that account may now move here.",
    "unalias": "Alias removed.",
    "moved": "Moved. Your followers are being told.",
}
FILES = {
    "following": "following_accounts.csv",
    "blocks": "blocked_accounts.csv",
    "mutes": "muted_accounts.csv",
    "domain_blocks": "blocked_domains.csv",
}


async def _page(session, error: str | None = None, status: int = 200, imported=None) -> Response:
    return await page(
        "move.html",
        status,
        person=session.actor,
        files=FILES,
        imported=imported,
        aliases=await moves.aliases_of(session.actor),
        csrf=session.csrf_token,
        error=error,
        done=DONE.get(request.args.get("done", "")),
    )


@bp.get("/settings/move")
async def settings() -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    return await _page(session)


@bp.post("/settings/move")
async def change() -> Response:
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    action = form.form.get("action", "")
    account = (form.form.get("account") or "").strip()
    instance, member = current_instance(), form.person
    try:
        if action == "alias":
            await moves.add_alias(instance, member, account)
        elif action == "unalias":
            await moves.remove_alias(instance, member, account)
        elif action == "move":
            if form.form.get("confirm") != "yes":
                return await _page(form.session, "tick the box to confirm the move", 400)
            await moves.move_away(instance, member, account)
        else:
            return await _page(form.session, "choose what to do", 400)
    except UserError as exc:
        return await _page(form.session, str(exc), 400)
    return redirect(f"/settings/move?done={'moved' if action == 'move' else action}", 303)


@bp.get("/settings/export/<kind>")
async def export(kind: str) -> Response:
    session = await current_session()
    if session is None:
        return sign_in_first()
    if kind not in FILES:
        return await _page(session, "there is no such list", 404)
    response = Response(await relations_csv.export(session.actor, kind), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{FILES[kind]}"'
    return response


@bp.post("/settings/import")
async def import_list() -> Response:
    """A CSV from Mastodon, GoToSocial or here: what was imported, and each row that was not."""
    form = await signed_in_form()
    if isinstance(form, Response):
        return form
    upload = form.files.get("file")
    if upload is None or not upload.filename:
        return await _page(form.session, "choose a CSV file to import", 400)
    try:
        text = upload.read(relations_csv.MAX_BYTES + 1).decode("utf-8-sig")
        result = await relations_csv.import_csv(
            current_instance(), form.person, form.form.get("kind", ""), text
        )
    except UnicodeDecodeError:
        return await _page(form.session, "the file is not UTF-8 text", 400)
    except UserError as exc:
        return await _page(form.session, str(exc), 400)
    return await _page(form.session, imported=result)
