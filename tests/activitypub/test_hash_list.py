"""The hash list's documents: what we build reads back, and what a list may not contain is
skipped (entries) or refused (the page)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from activitypub.errors import InvalidObject
from activitypub.hash_list import (
    Entry,
    assertion_key,
    build_list,
    build_list_page,
    parse_list,
    parse_page,
)

URL = "https://a.example/hash-list"
PAGE = f"{URL}?page=true"
HASH = "8c629e779a663698b9a33866c026726c21a679f61eb6e1f8c79ba7e23c8299e0"


def entry(n: int = 1, **changes) -> Entry:
    values = dict(
        id=f"{URL}/entries/{n}",
        algorithm="pdq",
        hash=HASH,
        quality=100,
        reason="provenance",
        published=datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
    )
    values.update(changes)
    return Entry(**values)


def test_a_built_page_reads_back():
    doc = build_list_page(PAGE, URL, [entry(1), entry(2, reason="moderator")], next_page=None)
    page = parse_page(doc, PAGE)
    assert page.entries == [entry(1), entry(2, reason="moderator")]
    assert page.next is None and page.skipped == []


def test_a_built_list_names_its_first_page():
    doc = build_list(URL, 2, first=PAGE, attributed_to="https://a.example/actor")
    assert parse_list(doc, URL) == PAGE
    assert doc["totalItems"] == 2


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"hash": HASH[:-2]}, "64 hexadecimal digits"),
        ({"hash": "g" * 64}, "64 hexadecimal digits"),
        ({"algorithm": "phash"}, "unknown hash algorithm"),
        ({"reason": "vibes"}, "unknown reason"),
        ({"quality": 101}, "quality"),
        ({"quality": True}, "quality"),
        ({"type": "Note"}, "not a HashListEntry"),
        ({"id": "https://b.example/entries/1"}, "on another server"),
        ({"id": "javascript:alert(1)"}, "http(s)"),
        ({"published": "yesterday"}, "ISO 8601"),
    ],
)
def test_a_malformed_entry_is_skipped_with_its_reason(change, why):
    doc = build_list_page(PAGE, URL, [entry(1), entry(2)], next_page=None)
    doc["orderedItems"][1].update(change)
    page = parse_page(doc, PAGE)
    assert page.entries == [entry(1)]
    [skipped] = page.skipped
    assert skipped.startswith("item 1:") and why in skipped


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"id": "https://a.example/other"}, "not the URL it was fetched from"),
        ({"type": "Collection"}, "OrderedCollectionPage"),
        ({"orderedItems": {"id": "x"}}, "not a list"),
        ({"next": "https://b.example/hash-list?page=2"}, "on another server"),
    ],
)
def test_a_page_that_is_not_one_is_refused(change, why):
    doc = build_list_page(PAGE, URL, [entry(1)], next_page=None)
    doc.update(change)
    with pytest.raises(InvalidObject, match=why):
        parse_page(doc, PAGE)


def test_a_list_whose_first_page_is_elsewhere_is_refused():
    doc = build_list(URL, 1, first="https://b.example/hash-list?page=true", attributed_to="x")
    with pytest.raises(InvalidObject, match="on another server"):
        parse_list(doc, URL)


def actor(**key_changes) -> dict:
    key = {
        "id": "https://a.example/actor#ed25519-key",
        "type": "Multikey",
        "controller": "https://a.example/actor",
        "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    }
    key.update(key_changes)
    return {"id": "https://a.example/actor", "type": "Application", "assertionMethod": [key]}


def test_the_assertion_key_is_found_by_its_id():
    assert assertion_key(actor(), "https://a.example/actor#ed25519-key").startswith("z6Mk")


@pytest.mark.parametrize(
    ("changes", "key_id", "why"),
    [
        ({}, "https://a.example/actor#other", "lists no assertion key"),
        ({"controller": "https://b.example/actor"}, None, "not a Multikey controlled by"),
        ({"type": "Ed25519VerificationKey2020"}, None, "not a Multikey"),
        ({"publicKeyMultibase": "u" + "A" * 40}, None, "no usable publicKeyMultibase"),
    ],
)
def test_an_unusable_assertion_key_is_refused(changes, key_id, why):
    with pytest.raises(InvalidObject, match=why):
        assertion_key(actor(**changes), key_id or "https://a.example/actor#ed25519-key")
