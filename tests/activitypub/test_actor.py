from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from activitypub.actor import ImageRef, LocalActor, build_actor, parse_actor
from activitypub.errors import InvalidObject
from activitypub.vocab import AS_NS, SECURITY_V1

FIXTURES = Path(__file__).parents[1] / "fixtures"

PEM = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PUBLIC KEY-----\n"
)


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def local_actor(**overrides: Any) -> LocalActor:
    base = "https://art.example/users/mira"
    fields: dict[str, Any] = {
        "id": base,
        "type": "Person",
        "username": "mira",
        "name": "Mira Okafor",
        "summary_html": "<p>ink and watercolour</p>",
        "url": "https://art.example/@mira",
        "inbox": f"{base}/inbox",
        "outbox": f"{base}/outbox",
        "followers": f"{base}/followers",
        "following": f"{base}/following",
        "featured": f"{base}/collections/featured",
        "shared_inbox": "https://art.example/inbox",
        "key_id": f"{base}#main-key",
        "public_key_pem": PEM,
        "published": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        "manually_approves_followers": True,
        "discoverable": True,
        "indexable": False,
        "icon": ImageRef("https://art.example/media/avatar.png", "image/png"),
        "image": ImageRef("https://art.example/media/header.jpg", "image/jpeg"),
    }
    fields.update(overrides)
    return LocalActor(**fields)


# --- parse_actor on real shapes -------------------------------------------------------------


def test_parse_mastodon_actor_extracts_every_field() -> None:
    doc = load("mastodon_actor.json")
    actor = parse_actor(doc)

    assert actor.id == "https://mastodon.example/users/alice"
    assert actor.type == "Person"
    assert actor.preferred_username == "alice"
    assert actor.name == "Alice :blobcat:"
    assert actor.summary.startswith("<p>Photographer")
    assert actor.url == "https://mastodon.example/@alice"
    assert actor.inbox == "https://mastodon.example/users/alice/inbox"
    assert actor.shared_inbox == "https://mastodon.example/inbox"
    assert actor.outbox == "https://mastodon.example/users/alice/outbox"
    assert actor.followers == "https://mastodon.example/users/alice/followers"
    assert actor.following == "https://mastodon.example/users/alice/following"
    assert actor.featured == "https://mastodon.example/users/alice/collections/featured"
    assert actor.key_id == "https://mastodon.example/users/alice#main-key"
    assert actor.public_key_pem == doc["publicKey"]["publicKeyPem"]
    assert actor.manually_approves_followers is False
    assert actor.discoverable is True
    assert actor.indexable is True
    assert actor.icon_url == doc["icon"]["url"]
    assert actor.image_url == doc["image"]["url"]


def test_parse_gotosocial_actor_extracts_every_field() -> None:
    doc = load("gotosocial_actor.json")
    actor = parse_actor(doc)

    assert actor.id == "https://gts.example/users/carol"
    assert actor.preferred_username == "carol"
    assert actor.inbox == "https://gts.example/users/carol/inbox"
    # GoToSocial publishes no endpoints.sharedInbox.
    assert "endpoints" not in doc
    assert actor.shared_inbox is None
    assert actor.key_id == "https://gts.example/users/carol/main-key"
    assert actor.public_key_pem == doc["publicKey"]["publicKeyPem"]
    assert actor.followers == "https://gts.example/users/carol/followers"
    assert actor.featured == "https://gts.example/users/carol/collections/featured"
    assert actor.manually_approves_followers is True
    assert actor.discoverable is True
    # GtS does not send `indexable`: absent means not indexable.
    assert actor.indexable is False
    assert actor.icon_url == doc["icon"]["url"]
    assert actor.image_url == doc["image"]["url"]
    assert actor.url == "https://gts.example/@carol"


def test_parse_mastodon_instance_actor_of_type_application() -> None:
    actor = parse_actor(load("mastodon_instance_actor.json"))
    assert actor.type == "Application"
    assert actor.preferred_username == "mastodon.internal"
    assert actor.followers is None
    assert actor.icon_url is None


def test_parse_actor_takes_first_key_of_a_publickey_list() -> None:
    doc = load("mastodon_actor.json")
    doc["publicKey"] = [doc["publicKey"]]
    assert parse_actor(doc).key_id == "https://mastodon.example/users/alice#main-key"


def test_parse_actor_reads_url_and_icon_given_as_lists_and_links() -> None:
    doc = load("mastodon_actor.json")
    doc["url"] = [{"type": "Link", "href": "https://mastodon.example/@alice", "mediaType": "x"}]
    doc["icon"] = [{"type": "Image", "url": {"type": "Link", "href": "https://m.example/i.png"}}]
    actor = parse_actor(doc)
    assert actor.url == "https://mastodon.example/@alice"
    assert actor.icon_url == "https://m.example/i.png"


def test_parse_actor_ignores_non_http_icon_url() -> None:
    doc = load("mastodon_actor.json")
    doc["icon"] = {"type": "Image", "url": "javascript:alert(1)"}
    assert parse_actor(doc).icon_url is None


# --- parse_actor refusals -------------------------------------------------------------------


def refused(doc: Any) -> str:
    with pytest.raises(InvalidObject) as info:
        parse_actor(doc)
    return str(info.value)


def test_refuses_key_owned_by_someone_else() -> None:
    doc = load("mastodon_actor.json")
    doc["publicKey"]["owner"] = "https://mastodon.example/users/mallory"
    assert "owner" in refused(doc)


def test_refuses_key_served_from_another_origin() -> None:
    doc = load("mastodon_actor.json")
    doc["publicKey"]["id"] = "https://evil.example/users/alice#main-key"
    assert "origin" in refused(doc)


def test_refuses_key_on_another_port_of_the_same_host() -> None:
    doc = load("mastodon_actor.json")
    doc["publicKey"]["id"] = "https://mastodon.example:8443/users/alice#main-key"
    assert "origin" in refused(doc)


def test_refuses_missing_public_key() -> None:
    doc = load("mastodon_actor.json")
    del doc["publicKey"]
    assert "publicKey" in refused(doc)


def test_refuses_public_key_without_pem() -> None:
    doc = load("mastodon_actor.json")
    doc["publicKey"]["publicKeyPem"] = "not a key"
    assert "publicKeyPem" in refused(doc)


@pytest.mark.parametrize("kind", ["Note", "Tombstone", "Collection"])
def test_refuses_non_actor_type(kind: str) -> None:
    doc = load("mastodon_actor.json")
    doc["type"] = kind
    assert "actor type" in refused(doc)


def test_refuses_document_without_type() -> None:
    doc = load("mastodon_actor.json")
    del doc["type"]
    refused(doc)


@pytest.mark.parametrize(
    "actor_id", ["ftp://mastodon.example/users/alice", "urn:uuid:1234", "/users/alice", None]
)
def test_refuses_non_http_id(actor_id: str | None) -> None:
    doc = load("mastodon_actor.json")
    doc["id"] = actor_id
    assert "actor id" in refused(doc)


@pytest.mark.parametrize("username", [None, "", 42])
def test_refuses_missing_preferred_username(username: Any) -> None:
    doc = load("mastodon_actor.json")
    doc["preferredUsername"] = username
    assert "preferredUsername" in refused(doc)


def test_refuses_missing_inbox() -> None:
    doc = load("gotosocial_actor.json")
    del doc["inbox"]
    assert "inbox" in refused(doc)


@pytest.mark.parametrize(
    "username",
    [
        "alice@mastodon.example",  # would read as @alice@mastodon.example@the-real-host
        "alice bob",
        "аlice",  # Cyrillic а
        ".alice",
        "alice-",
        "al\u202eice",
        "a" * 101,
    ],
)
def test_refuses_a_preferred_username_that_is_not_a_username(username: str) -> None:
    doc = load("mastodon_actor.json")
    doc["preferredUsername"] = username
    assert "is not a username" in refused(doc)


@pytest.mark.parametrize("username", ["alice", "Alice_B", "alice.bsky.social", "a-b", "a" * 100])
def test_reads_usernames_as_mastodon_allows_them(username: str) -> None:
    doc = load("mastodon_actor.json")
    doc["preferredUsername"] = username
    assert parse_actor(doc).preferred_username == username


def test_an_instance_actor_may_be_named_after_its_own_host_and_port() -> None:
    doc = load("mastodon_actor.json")
    host = doc["id"].split("/")[2]
    doc["preferredUsername"] = host
    assert parse_actor(doc).preferred_username == host
    doc["preferredUsername"] = "other.example:8080"
    assert "is not a username" in refused(doc)


def test_refuses_an_inbox_on_another_server() -> None:
    doc = load("mastodon_actor.json")
    doc["inbox"] = "https://victim.example/inbox"
    assert "inbox is not on the actor's own server" in refused(doc)


def test_drops_a_shared_inbox_on_another_server_and_keeps_its_own() -> None:
    doc = load("mastodon_actor.json")
    doc["endpoints"] = {"sharedInbox": "https://victim.example/inbox"}
    assert parse_actor(doc).shared_inbox is None
    doc["endpoints"] = {"sharedInbox": "https://mastodon.example/inbox"}
    assert parse_actor(doc).shared_inbox == "https://mastodon.example/inbox"


def test_a_display_name_loses_bidi_controls_and_zero_width_characters() -> None:
    doc = load("mastodon_actor.json")
    doc["name"] = "\u202eAlice\u200b \u2066Example\u2069\ufeff"
    assert parse_actor(doc).name == "Alice Example"


@pytest.mark.parametrize("doc", [[], "https://mastodon.example/users/alice", None])
def test_refuses_non_object(doc: Any) -> None:
    refused(doc)


# --- build_actor -------------------------------------------------------------------------------


def test_build_actor_has_every_field_mastodon_reads() -> None:
    actor = local_actor()
    doc = build_actor(actor)

    assert doc["id"] == actor.id
    assert doc["type"] == "Person"
    assert doc["preferredUsername"] == "mira"
    assert doc["name"] == "Mira Okafor"
    assert doc["summary"] == "<p>ink and watercolour</p>"
    assert doc["url"] == "https://art.example/@mira"
    assert doc["inbox"] == actor.inbox
    assert doc["outbox"] == actor.outbox
    assert doc["followers"] == actor.followers
    assert doc["following"] == actor.following
    assert doc["featured"] == actor.featured
    assert doc["endpoints"] == {"sharedInbox": "https://art.example/inbox"}
    assert doc["publicKey"] == {
        "id": "https://art.example/users/mira#main-key",
        "owner": actor.id,
        "publicKeyPem": PEM,
    }
    assert doc["manuallyApprovesFollowers"] is True
    assert doc["discoverable"] is True
    assert doc["indexable"] is False
    assert doc["published"] == "2025-01-02T03:04:05Z"
    assert doc["icon"] == {
        "type": "Image",
        "mediaType": "image/png",
        "url": "https://art.example/media/avatar.png",
    }
    assert doc["image"]["url"] == "https://art.example/media/header.jpg"


def test_build_actor_context_declares_as_security_and_toot_terms() -> None:
    context = build_actor(local_actor())["@context"]
    assert context[0] == AS_NS
    assert SECURITY_V1 in context
    terms: dict[str, Any] = {}
    for entry in context:
        if isinstance(entry, dict):
            terms.update(entry)
    assert terms["toot"] == "http://joinmastodon.org/ns#"
    assert terms["manuallyApprovesFollowers"] == "as:manuallyApprovesFollowers"
    assert terms["discoverable"] == "toot:discoverable"
    assert terms["indexable"] == "toot:indexable"
    assert terms["featured"] == {"@id": "toot:featured", "@type": "@id"}


def test_build_actor_context_declares_every_extension_term_it_uses() -> None:
    doc = build_actor(local_actor())
    terms: set[str] = set()
    for entry in doc["@context"]:
        if isinstance(entry, dict):
            terms.update(entry)
    as_core = set(
        "id type preferredUsername name summary url inbox outbox followers following endpoints"
        " published attachment tag icon image publicKey".split()
    )
    extensions = set(doc) - as_core - {"@context"}
    assert extensions <= terms


def test_build_actor_omits_icon_and_image_when_absent() -> None:
    doc = build_actor(local_actor(icon=None, image=None))
    assert "icon" not in doc
    assert "image" not in doc


def test_build_actor_round_trips_through_parse_actor() -> None:
    actor = local_actor()
    parsed = parse_actor(copy.deepcopy(build_actor(actor)))

    assert parsed.id == actor.id
    assert parsed.type == actor.type
    assert parsed.preferred_username == actor.username
    assert parsed.name == actor.name
    assert parsed.summary == actor.summary_html
    assert parsed.url == actor.url
    assert parsed.inbox == actor.inbox
    assert parsed.shared_inbox == actor.shared_inbox
    assert parsed.outbox == actor.outbox
    assert parsed.followers == actor.followers
    assert parsed.following == actor.following
    assert parsed.featured == actor.featured
    assert parsed.key_id == actor.key_id
    assert parsed.public_key_pem == actor.public_key_pem
    assert parsed.manually_approves_followers is actor.manually_approves_followers
    assert parsed.discoverable is actor.discoverable
    assert parsed.indexable is actor.indexable
    assert parsed.icon_url == "https://art.example/media/avatar.png"
    assert parsed.image_url == "https://art.example/media/header.jpg"


def test_build_actor_round_trips_service_type_and_flipped_flags() -> None:
    actor = local_actor(
        type="Service", manually_approves_followers=False, discoverable=False, indexable=True
    )
    parsed = parse_actor(build_actor(actor))
    assert parsed.type == "Service"
    assert parsed.manually_approves_followers is False
    assert parsed.discoverable is False
    assert parsed.indexable is True
