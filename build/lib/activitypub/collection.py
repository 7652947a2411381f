"""OrderedCollections: paged (outbox, followers, following) or whole (featured, albums)."""

from __future__ import annotations

from typing import Any

from activitypub.vocab import CONTEXT


def build_collection(collection_id: str, total: int, *, first: str | None) -> dict[str, Any]:
    """The collection head: its size and a link to the first page, as Mastodon serves it."""
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first:
        doc["first"] = first
    return doc


def build_inline_collection(collection_id: str, items: list[Any]) -> dict[str, Any]:
    """A small collection carried whole (featured): no page to fetch."""
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }


def build_album(
    collection_id: str,
    *,
    name: str,
    summary_html: str,
    url: str,
    attributed_to: str,
    items: list[str],
) -> dict[str, Any]:
    """An album: an OrderedCollection of works, in the artist's order, carried whole (an
    album is a curated selection of a few dozen works, not a feed to page through)."""
    doc = build_inline_collection(collection_id, items)
    doc.update(name=name, summary=summary_html, url=url, attributedTo=attributed_to)
    return doc


def build_page(
    page_id: str,
    collection_id: str,
    items: list[Any],
    *,
    next_page: str | None,
    prev_page: str | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page_id,
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": items,
    }
    if next_page:
        doc["next"] = next_page
    if prev_page:
        doc["prev"] = prev_page
    return doc
