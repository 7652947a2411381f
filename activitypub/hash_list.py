"""The hash list an instance publishes: perceptual hashes of images it refused as generated,
as a paged OrderedCollection signed with FEP-8b32 proofs (eddsa-jcs-2022).

No fediverse vocabulary exists for this yet, so the entry terms live in cara-fed's own
namespace, declared in the context. An entry carries the hash, the algorithm, the hash's
quality, the reason class and the date; never the image, its URL or who posted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from activitypub.errors import InvalidObject
from activitypub.timefmt import format_time, parse_time
from activitypub.values import as_list, first_type, id_of, origin, require_uri
from activitypub.vocab import AS_NS

DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"
NAMESPACE = "urn:x-cara-fed:ns#"
CONTEXT: list[object] = [
    AS_NS,
    DATA_INTEGRITY,
    {
        "caraFed": NAMESPACE,
        "HashListEntry": "caraFed:HashListEntry",
        "algorithm": "caraFed:hashAlgorithm",
        "hash": "caraFed:hashValue",
        "quality": "caraFed:hashQuality",
        "reason": "caraFed:reasonClass",
    },
]
ALGORITHMS = frozenset({"pdq"})
# Why an image was listed: a provenance signal (C2PA, IPTC, generator metadata, a watermark),
# the poster's own declaration, or a moderator's decision.
REASONS = frozenset({"provenance", "declaration", "moderator"})
HASH_LENGTH = 64


@dataclass(frozen=True)
class Entry:
    id: str
    algorithm: str
    hash: str
    quality: int
    reason: str
    published: datetime | None


@dataclass(frozen=True)
class Page:
    id: str
    next: str | None
    entries: list[Entry]
    skipped: list[str]  # why each malformed entry was left out


def build_entry(entry: Entry) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": entry.id,
        "type": "HashListEntry",
        "algorithm": entry.algorithm,
        "hash": entry.hash,
        "quality": entry.quality,
        "reason": entry.reason,
    }
    if entry.published is not None:
        doc["published"] = format_time(entry.published)
    return doc


def build_list(list_id: str, total: int, *, first: str, attributed_to: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": list_id,
        "type": "OrderedCollection",
        "attributedTo": attributed_to,
        "summary": "Perceptual hashes of images this instance refused as generated.",
        "totalItems": total,
        "first": first,
    }


def build_list_page(
    page_id: str, list_id: str, entries: list[Entry], *, next_page: str | None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page_id,
        "type": "OrderedCollectionPage",
        "partOf": list_id,
        "orderedItems": [build_entry(e) for e in entries],
    }
    if next_page:
        doc["next"] = next_page
    return doc


def parse_list(doc: dict[str, Any], url: str) -> str:
    """The first page's URL of the list at `url`; raises InvalidObject."""
    if id_of(doc) != url:
        raise InvalidObject(f"the list's id is {id_of(doc)!r}, not the URL it was fetched from")
    if first_type(doc) != "OrderedCollection":
        raise InvalidObject("a hash list is an OrderedCollection")
    first = require_uri(id_of(doc.get("first")), "first")
    if origin(first) != origin(url):
        raise InvalidObject(f"the list's first page {first} is on another server")
    return first


def parse_page(doc: dict[str, Any], url: str) -> Page:
    """One page of a list: its well-formed entries and why any others were skipped.
    Raises InvalidObject when the page itself is not a page of a list at `url`'s origin."""
    if id_of(doc) != url:
        raise InvalidObject(f"the page's id is {id_of(doc)!r}, not the URL it was fetched from")
    if first_type(doc) != "OrderedCollectionPage":
        raise InvalidObject("a hash list page is an OrderedCollectionPage")
    items = doc.get("orderedItems", [])
    if not isinstance(items, list):
        raise InvalidObject("orderedItems is not a list")
    next_page = id_of(doc.get("next")) if doc.get("next") is not None else None
    if next_page is not None:
        next_page = require_uri(next_page, "next")
        if origin(next_page) != origin(url):
            raise InvalidObject(f"the next page {next_page} is on another server")
    entries: list[Entry] = []
    skipped: list[str] = []
    for position, item in enumerate(items):
        try:
            entries.append(parse_entry(item, url))
        except InvalidObject as exc:
            skipped.append(f"item {position}: {exc}")
    return Page(url, next_page, entries, skipped)


def parse_entry(item: Any, page_url: str) -> Entry:
    if not isinstance(item, dict):
        raise InvalidObject("not an object")
    entry_id = require_uri(id_of(item), "id")
    if origin(entry_id) != origin(page_url):
        raise InvalidObject(f"entry {entry_id} is on another server")
    if "HashListEntry" not in as_list(item.get("type")):
        raise InvalidObject("not a HashListEntry")
    algorithm = item.get("algorithm")
    if algorithm not in ALGORITHMS:
        raise InvalidObject(f"unknown hash algorithm {algorithm!r}")
    value = item.get("hash")
    if not _is_hex(value, HASH_LENGTH):
        raise InvalidObject(f"a {algorithm} hash is {HASH_LENGTH} hexadecimal digits")
    quality = item.get("quality")
    if not isinstance(quality, int) or isinstance(quality, bool) or not 0 <= quality <= 100:
        raise InvalidObject("quality is a whole number from 0 to 100")
    reason = item.get("reason")
    if reason not in REASONS:
        raise InvalidObject(f"unknown reason {reason!r}")
    return Entry(
        entry_id,
        algorithm,
        value.lower(),
        quality,
        reason,
        parse_time(item.get("published"), "published"),
    )


def assertion_key(actor: dict[str, Any], key_id: str) -> str:
    """The multibase public key `key_id` names among the actor's `assertionMethod` keys
    (FEP-521a); raises InvalidObject."""
    actor_id = require_uri(id_of(actor), "id")
    for method in as_list(actor.get("assertionMethod")):
        if not isinstance(method, dict) or id_of(method) != key_id:
            continue
        if first_type(method) != "Multikey" or id_of(method.get("controller")) != actor_id:
            raise InvalidObject(f"{key_id} is not a Multikey controlled by {actor_id}")
        value = method.get("publicKeyMultibase")
        if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
            raise InvalidObject(f"{key_id} has no usable publicKeyMultibase")
        return value
    raise InvalidObject(f"{actor_id} lists no assertion key {key_id}")


def _is_hex(value: Any, length: int) -> bool:
    if not isinstance(value, str) or len(value) != length:
        return False
    return all(c in "0123456789abcdefABCDEF" for c in value)
