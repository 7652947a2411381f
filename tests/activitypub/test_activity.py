from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from activitypub.activity import (
    MAX_NESTING,
    build_accept,
    build_create,
    build_delete,
    build_follow,
    build_reject,
    build_undo,
    build_update,
    parse_activity,
)
from activitypub.errors import InvalidObject
from activitypub.note import Note, build_note, parse_note
from activitypub.vocab import AS_NS, PUBLIC

FIXTURES = Path(__file__).parents[1] / "fixtures"

ALICE = "https://mastodon.example/users/alice"
BOB = "https://remote.example/users/bob"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


# --- parse_activity on every activity fixture ------------------------------------------------

# fixture, type, actor, object id, whether the object is embedded
FIXTURE_CASES = [
    (
        "mastodon_note_with_image.json",
        "Create",
        ALICE,
        "https://mastodon.example/users/alice/statuses/113456789012345678",
        True,
    ),
    (
        "gotosocial_note_with_image.json",
        "Create",
        "https://gts.example/users/carol",
        "https://gts.example/users/carol/statuses/01JNXQ4T8V2W5Y7Z9A1B3C5D7E",
        True,
    ),
    ("mastodon_follow.json", "Follow", ALICE, BOB, False),
    (
        "mastodon_accept_follow.json",
        "Accept",
        ALICE,
        "https://remote.example/activities/9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e",
        True,
    ),
    (
        "mastodon_undo_follow.json",
        "Undo",
        ALICE,
        "https://mastodon.example/5c1e0f3a-7b2d-4e8f-9a61-2d3c4b5a6f70",
        True,
    ),
    (
        "mastodon_delete_note.json",
        "Delete",
        ALICE,
        "https://mastodon.example/users/alice/statuses/113456789012345678",
        True,
    ),
    ("mastodon_delete_actor.json", "Delete", ALICE, ALICE, False),
    (
        "mastodon_like.json",
        "Like",
        ALICE,
        "https://remote.example/users/bob/statuses/113455000000000001",
        False,
    ),
    (
        "mastodon_announce.json",
        "Announce",
        ALICE,
        "https://remote.example/users/bob/statuses/113455000000000001",
        False,
    ),
    ("mastodon_update_person.json", "Update", ALICE, ALICE, True),
    (
        "mastodon_update_note.json",
        "Update",
        ALICE,
        "https://mastodon.example/users/alice/statuses/113456789012345678",
        True,
    ),
    (
        "mastodon_undo_announce.json",
        "Undo",
        ALICE,
        "https://mastodon.example/users/alice/statuses/113460123456789012/activity",
        True,
    ),
]


@pytest.mark.parametrize(("name", "kind", "actor", "object_id", "embedded"), FIXTURE_CASES)
def test_parse_activity_fixture(
    name: str, kind: str, actor: str, object_id: str, embedded: bool
) -> None:
    doc = load(name)
    activity = parse_activity(doc)

    assert activity.id == doc["id"]
    assert activity.type == kind
    assert activity.actor == actor
    assert activity.object_id == object_id
    if embedded:
        assert activity.embedded_object == doc["object"]
    else:
        assert activity.embedded_object is None
    assert activity.raw is doc


def test_parse_activity_reads_addressing() -> None:
    mastodon = parse_activity(load("mastodon_announce.json"))
    assert mastodon.to == [PUBLIC]
    assert mastodon.cc == [BOB, "https://mastodon.example/users/alice/followers"]
    gts = parse_activity(load("gotosocial_note_with_image.json"))
    assert gts.to == [PUBLIC]  # GtS sends a bare string
    follow = parse_activity(load("mastodon_follow.json"))
    assert follow.to == [] and follow.cc == []


@pytest.mark.parametrize("alias", ["as:Public", "Public"])
def test_parse_activity_accepts_compacted_public_addressing(alias: str) -> None:
    # ActivityPub §5.6: receivers must treat the compacted spellings as the Public collection.
    doc = load("mastodon_announce.json")
    doc["to"] = [alias]
    assert parse_activity(doc).to == [PUBLIC]


def test_parse_activity_accepts_actor_given_as_object() -> None:
    doc = load("mastodon_like.json")
    doc["actor"] = {"type": "Person", "id": ALICE}
    assert parse_activity(doc).actor == ALICE


# --- refusals ---------------------------------------------------------------------------------


def refused(doc: Any) -> str:
    with pytest.raises(InvalidObject) as info:
        parse_activity(doc)
    return str(info.value)


def test_refuses_activity_without_id() -> None:
    doc = load("mastodon_like.json")
    del doc["id"]
    assert "activity id" in refused(doc)


def test_refuses_activity_without_actor() -> None:
    doc = load("mastodon_like.json")
    del doc["actor"]
    assert "actor" in refused(doc)


def test_refuses_activity_without_object() -> None:
    doc = load("mastodon_like.json")
    del doc["object"]
    assert "no object" in refused(doc)


@pytest.mark.parametrize("obj", [42, ["https://a.example/1"], True])
def test_refuses_object_that_is_not_iri_or_object(obj: Any) -> None:
    doc = load("mastodon_like.json")
    doc["object"] = obj
    assert "object" in refused(doc)


def test_refuses_activity_without_type() -> None:
    doc = load("mastodon_like.json")
    del doc["type"]
    assert "type" in refused(doc)


@pytest.mark.parametrize("body", [[], "Follow", None, 3, [{"type": "Follow"}]])
def test_refuses_non_object_body(body: Any) -> None:
    assert "JSON object" in refused(body)


def wrapped(levels: int) -> Any:
    """A string inside `levels` dicts, built iteratively so any depth can be made."""
    value: Any = "https://remote.example/deep"
    for _ in range(levels):
        value = {"id": value}
    return value


def envelope(obj: Any) -> dict[str, Any]:
    return {"id": "https://remote.example/a/1", "type": "Create", "actor": BOB, "object": obj}


def test_refuses_10000_deep_nesting_without_recursion_error() -> None:
    with pytest.raises(InvalidObject, match="nested deeper"):
        parse_activity(envelope(wrapped(10_000)))


def test_refuses_10000_deep_list_nesting() -> None:
    value: Any = []
    for _ in range(10_000):
        value = [value]
    doc = envelope("https://remote.example/n/1")
    doc["tag"] = value
    with pytest.raises(InvalidObject, match="nested deeper"):
        parse_activity(doc)


def test_nesting_limit_boundary() -> None:
    # envelope = level 1, object dicts = levels 2..k+1, innermost string = level k+2
    at_limit = envelope(wrapped(MAX_NESTING - 2))
    assert parse_activity(at_limit).type == "Create"
    with pytest.raises(InvalidObject, match="nested deeper"):
        parse_activity(envelope(wrapped(MAX_NESTING - 1)))


# --- builders ---------------------------------------------------------------------------------


def assert_context(doc: dict[str, Any]) -> None:
    assert doc["@context"][0] == AS_NS


def test_build_follow_has_the_shape_of_mastodons() -> None:
    fixture = load("mastodon_follow.json")
    doc = build_follow(fixture["id"], ALICE, BOB)
    assert_context(doc)
    for key in ("id", "type", "actor", "object"):
        assert doc[key] == fixture[key]
    assert doc["to"] == [BOB]
    parsed = parse_activity(doc)
    assert (parsed.type, parsed.actor, parsed.object_id) == ("Follow", ALICE, BOB)


def test_build_accept_embeds_the_follow_without_context() -> None:
    fixture = load("mastodon_accept_follow.json")
    follow = {"@context": AS_NS, **fixture["object"]}
    doc = build_accept(fixture["id"], ALICE, follow)
    assert_context(doc)
    assert doc["type"] == "Accept"
    assert doc["actor"] == ALICE
    assert doc["object"] == fixture["object"]
    assert "@context" not in doc["object"]
    assert doc["to"] == [BOB]
    # the caller's Follow is not modified
    assert follow["@context"] == AS_NS
    assert parse_activity(doc).object_id == fixture["object"]["id"]


def test_build_reject_embeds_the_follow_without_context() -> None:
    follow = load("mastodon_follow.json")
    doc = build_reject("https://remote.example/rejects/1", BOB, follow)
    assert doc["type"] == "Reject"
    assert doc["object"] == {k: v for k, v in follow.items() if k != "@context"}
    assert doc["to"] == [ALICE]


def test_build_undo_has_the_shape_of_mastodons() -> None:
    fixture = load("mastodon_undo_follow.json")
    follow = load("mastodon_follow.json")
    doc = build_undo(fixture["id"], ALICE, follow, to=[BOB])
    assert_context(doc)
    assert doc["type"] == "Undo"
    assert doc["actor"] == ALICE
    assert doc["object"] == fixture["object"]
    assert doc["to"] == [BOB]
    assert "cc" not in doc


def test_build_delete_carries_a_tombstone() -> None:
    fixture = load("mastodon_delete_note.json")
    note_id = fixture["object"]["id"]
    doc = build_delete(fixture["id"], ALICE, note_id, to=[PUBLIC], cc=[])
    assert_context(doc)
    assert doc["type"] == "Delete"
    assert doc["object"] == {"id": note_id, "type": "Tombstone"}
    assert doc["to"] == fixture["to"]
    assert "cc" not in doc  # empty cc is left out
    parsed = parse_activity(doc)
    assert parsed.object_id == note_id


def test_build_create_copies_addressing_and_strips_note_context() -> None:
    note = Note(
        id="https://art.example/users/mira/posts/01",
        attributed_to="https://art.example/users/mira",
        content="<p>hi</p>",
        url=None,
        published=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
        to=[PUBLIC],
        cc=["https://art.example/users/mira/followers", BOB],
    )
    note_doc = build_note(note)
    doc = build_create(
        "https://art.example/users/mira/posts/01/activity",
        note_doc,
        datetime(2025, 3, 1, 12, 0, 1, tzinfo=UTC),
    )
    assert_context(doc)
    assert doc["type"] == "Create"
    assert doc["actor"] == note.attributed_to
    assert doc["to"] == note.to
    assert doc["cc"] == note.cc
    assert doc["published"] == "2025-03-01T12:00:01Z"
    assert "@context" not in doc["object"]
    assert "@context" in note_doc  # the note given is not modified
    parsed = parse_activity(doc)
    assert parse_note(parsed.embedded_object) == note


def test_build_create_has_the_keys_of_mastodons() -> None:
    fixture = load("mastodon_note_with_image.json")
    note = parse_note(fixture["object"])
    doc = build_create(fixture["id"], build_note(note), note.published or datetime.now(UTC))
    expected = {"@context", "id", "type", "actor", "published", "to", "cc", "object"}
    assert expected <= set(doc)
    assert doc["to"] == fixture["to"]
    assert doc["cc"] == fixture["cc"]
    assert doc["published"] == fixture["published"]


def test_build_update_strips_context_of_the_object() -> None:
    person = load("mastodon_update_person.json")["object"]
    doc = build_update("https://m.example/u/1", ALICE, {"@context": AS_NS, **person}, [PUBLIC], [])
    assert doc["type"] == "Update"
    assert doc["object"] == person


def test_pinning_is_an_add_to_the_featured_collection_and_unpinning_a_remove():
    from activitypub.activity import build_collection_change

    add = build_collection_change(
        "Add",
        "https://a.example/1",
        "https://a.example/u",
        "https://a.example/n",
        "https://a.example/f",
        ["x"],
    )
    assert (add["type"], add["object"], add["target"]) == (
        "Add",
        "https://a.example/n",
        "https://a.example/f",
    )
    remove = build_collection_change("Remove", "https://a.example/2", "a", "o", "t", [])
    assert remove["type"] == "Remove"
    with pytest.raises(ValueError):
        build_collection_change("Delete", "i", "a", "o", "t", [])


@pytest.mark.parametrize(
    "reference",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/note",
        "/relative/note",
        "ftp://evil.example/note",
        {"id": "javascript:alert(1)", "type": "Note"},
        {"type": "Link", "href": "vbscript:msgbox(1)"},
    ],
)
def test_refuses_an_object_or_target_that_is_not_an_http_iri(reference) -> None:
    like = load("mastodon_like.json")
    assert "activity object" in refused({**like, "object": reference})
    assert "activity target" in refused({**like, "target": reference})


def test_an_embedded_object_without_id_is_left_to_its_handler() -> None:
    doc = {**load("mastodon_like.json"), "object": {"type": "Follow", "actor": "https://a.b/u"}}
    assert parse_activity(doc).object_id is None
