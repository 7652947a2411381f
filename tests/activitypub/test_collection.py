from __future__ import annotations

import json
from pathlib import Path

from activitypub.collection import build_collection, build_inline_collection, build_page
from activitypub.vocab import AS_NS

FIXTURES = Path(__file__).parents[1] / "fixtures"
FOLLOWERS = "https://art.example/users/mira/followers"


def test_collection_head_has_total_and_first() -> None:
    doc = build_collection(FOLLOWERS, 3, first=f"{FOLLOWERS}?page=1")
    assert doc["@context"][0] == AS_NS
    assert doc["id"] == FOLLOWERS
    assert doc["type"] == "OrderedCollection"
    assert doc["totalItems"] == 3
    assert doc["first"] == f"{FOLLOWERS}?page=1"
    assert "orderedItems" not in doc


def test_collection_head_matches_mastodons_keys() -> None:
    mastodon = json.loads((FIXTURES / "mastodon_followers.json").read_text())
    ours = build_collection(FOLLOWERS, 3, first=f"{FOLLOWERS}?page=1")
    assert set(ours) == set(mastodon)


def test_hidden_collection_head_has_no_first() -> None:
    doc = build_collection(FOLLOWERS, 3, first=None)
    assert "first" not in doc
    assert doc["totalItems"] == 3
    hidden = json.loads((FIXTURES / "mastodon_followers_hidden.json").read_text())
    assert set(doc) == set(hidden)


def test_page_has_part_of_and_items_and_next_only_when_given() -> None:
    items = ["https://a.example/u/1", "https://b.example/u/2"]
    last = build_page(f"{FOLLOWERS}?page=2", FOLLOWERS, items, next_page=None)
    assert last["type"] == "OrderedCollectionPage"
    assert last["id"] == f"{FOLLOWERS}?page=2"
    assert last["partOf"] == FOLLOWERS
    assert last["orderedItems"] == items
    assert "next" not in last
    assert "prev" not in last

    middle = build_page(
        f"{FOLLOWERS}?page=2",
        FOLLOWERS,
        items,
        next_page=f"{FOLLOWERS}?page=3",
        prev_page=f"{FOLLOWERS}?page=1",
    )
    assert middle["next"] == f"{FOLLOWERS}?page=3"
    assert middle["prev"] == f"{FOLLOWERS}?page=1"


def test_empty_page_still_has_ordered_items() -> None:
    doc = build_page(f"{FOLLOWERS}?page=1", FOLLOWERS, [], next_page=None)
    assert doc["orderedItems"] == []


def test_inline_collection_counts_its_items() -> None:
    items = [{"id": "https://art.example/p/1", "type": "Note"}]
    doc = build_inline_collection("https://art.example/users/mira/collections/featured", items)
    assert doc["type"] == "OrderedCollection"
    assert doc["totalItems"] == 1
    assert doc["orderedItems"] == items
    assert "first" not in doc


def test_an_album_is_an_ordered_collection_carried_whole_in_the_given_order():
    from activitypub.collection import build_album

    items = ["https://a.example/users/x/statuses/3", "https://a.example/users/x/statuses/1"]
    doc = build_album(
        "https://a.example/users/x/albums/7",
        name="Sketchbook",
        summary_html="<p>Pages</p>",
        url="https://a.example/@x/albums/7",
        attributed_to="https://a.example/users/x",
        items=items,
    )
    assert doc["type"] == "OrderedCollection" and doc["orderedItems"] == items
    assert doc["totalItems"] == 2 and doc["name"] == "Sketchbook"
    assert doc["attributedTo"] == "https://a.example/users/x"
