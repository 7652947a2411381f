"""This instance's hash list, published for the instances that subscribe to it: a paged
OrderedCollection, newest entries first, each document signed by the instance actor's
Ed25519 key so that a subscriber can check it whoever served it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quart import Blueprint, Response, request

from activitypub.hash_list import CONTEXT as LIST_CONTEXT
from activitypub.hash_list import build_entry, build_list, build_list_page
from cara_fed.convert import to_as
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import as_response, error
from cara_fed.routes.signed import signed_fetch_gate
from cara_fed.store import hash_lists, signing_keys
from federation import integrity

if TYPE_CHECKING:
    from cara_fed.instance import Instance

bp = Blueprint("hash_list", __name__)
PAGE_SIZE = 200


async def _signed(doc: dict) -> Response:
    pem = await signing_keys.ensure()
    return as_response(integrity.sign(doc, current_instance().urls.assertion_key, pem))


async def _refused(instance: Instance) -> Response | None:
    """404 when the list is not published; with authorized fetch on, a missing signature."""
    if not instance.config.screening.publish_hash_list:
        return error(404, "this instance does not publish its hash list")
    denied, _ = await signed_fetch_gate()
    return denied


@bp.get("/hash-list")
async def hash_list() -> Response:
    instance = current_instance()
    refused = await _refused(instance)
    if refused:
        return refused
    urls = instance.urls
    if "page" not in request.args:
        return await _signed(
            build_list(
                urls.hash_list,
                await hash_lists.published_count(),
                first=f"{urls.hash_list}?page=true",
                attributed_to=urls.instance_actor,
            )
        )
    raw = request.args.get("max_id", "")
    if raw and not (raw.isdigit() and len(raw) < 19):
        return error(400, "max_id is an entry number")
    before = int(raw) if raw else None
    rows = await hash_lists.published_page(before, PAGE_SIZE)
    page_id = f"{urls.hash_list}?page=true" + (f"&max_id={before}" if before is not None else "")
    next_page = (
        f"{urls.hash_list}?page=true&max_id={rows[-1].id}" if len(rows) == PAGE_SIZE else None
    )
    return await _signed(
        build_list_page(
            page_id,
            urls.hash_list,
            [to_as.hash_list_entry(r, urls) for r in rows],
            next_page=next_page,
        )
    )


@bp.get("/hash-list/entries/<int:entry_id>")
async def hash_list_entry_document(entry_id: int) -> Response:
    instance = current_instance()
    refused = await _refused(instance)
    if refused:
        return refused
    row = await hash_lists.published_entry(entry_id)
    if row is None:
        return error(404, f"there is no hash list entry {entry_id}")
    if row.withdrawn_at is not None:
        return error(410, f"hash list entry {entry_id} was withdrawn")
    return await _signed(
        {"@context": LIST_CONTEXT, **build_entry(to_as.hash_list_entry(row, instance.urls))}
    )
