"""Reading another instance's hash list: every page fetched with a signed GET through the
guarded client (size-bounded, same-origin redirects only), every document's FEP-8b32 proof
checked against the Ed25519 key its instance actor lists, every entry parsed strictly.
Anything wrong with the list as a whole fails the sync; a malformed entry is skipped."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag

from activitypub.errors import InvalidObject
from activitypub.hash_list import Entry, assertion_key, parse_list, parse_page
from activitypub.values import id_of, origin
from federation import integrity
from federation.resolver import ResolveError, Resolver


class ListError(Exception):
    """The list could not be read or trusted; the message says why."""


@dataclass(frozen=True)
class FetchedList:
    entries: list[Entry]
    skipped: list[str]


async def fetch_list(
    resolver: Resolver, url: str, *, max_entries: int, max_pages: int
) -> FetchedList:
    keys: dict[str, tuple[str, str]] = {}
    try:
        first = parse_list(await _verified(resolver, url, keys), url)
        entries: list[Entry] = []
        skipped: list[str] = []
        seen: set[str] = set()
        page_url: str | None = first
        while page_url is not None:
            if page_url in seen:
                raise ListError(f"the list's pages loop back to {page_url}")
            if len(seen) >= max_pages:
                raise ListError(f"the list has more than {max_pages} pages")
            seen.add(page_url)
            page = parse_page(await _verified(resolver, page_url, keys), page_url)
            entries.extend(page.entries)
            skipped.extend(page.skipped)
            if len(entries) > max_entries:
                raise ListError(
                    f"the list has more than {max_entries} entries, this instance's limit "
                    "([screening] hash_list_max_entries)"
                )
            page_url = page.next
    except (ResolveError, InvalidObject, integrity.ProofError) as exc:
        raise ListError(str(exc)) from None
    return FetchedList(entries, skipped)


async def _verified(resolver: Resolver, url: str, keys: dict[str, tuple[str, str]]) -> dict:
    """The document at `url`, once its proof verifies with a key of `url`'s own server."""
    doc = await resolver.fetch_json(url)
    key_id = integrity.proof_key_id(doc)
    if origin(key_id) != origin(url):
        raise ListError(f"{url} is signed by {key_id}, a key of another server")
    if key_id not in keys:
        actor_url = urldefrag(key_id).url
        actor = await resolver.fetch_json(actor_url)
        if id_of(actor) != actor_url:
            raise ListError(f"the signer {actor_url} answered with another id")
        keys[key_id] = (actor_url, assertion_key(actor, key_id))
    controller, public_key = keys[key_id]
    integrity.verify(doc, public_key, controller)
    return doc
