"""Hash lists that lie: too large, wrongly signed, signed by another server, served from
another origin, with malformed entries. A fake server (tests/fake_peer.py) serves lists
signed with a real Ed25519 key; B, a real instance, subscribes through its CLI. A list it
cannot trust is not subscribed to, and a failed re-sync keeps the last good copy."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from activitypub.hash_list import CONTEXT
from federation import integrity
from tests.fake_peer import FakePeer, File

AS = "application/activity+json"
HASHES = [f"{i:02x}" * 32 for i in range(1, 8)]


class ListServer:
    """A fake instance publishing a hash list: an Application actor with an Ed25519
    assertion key, the list at /hash-list and its pages."""

    def __init__(self) -> None:
        self.peer = FakePeer().start()
        self.origin = self.peer.origin
        self.actor = f"{self.origin}/actor"
        self.key_id = f"{self.actor}#ed25519-key"
        self.pem = integrity.generate_ed25519_pem()
        self.url = f"{self.origin}/hash-list"
        self.serve("/actor", self.actor_doc())

    def actor_doc(self, pem: str | None = None) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": self.actor,
            "type": "Application",
            "inbox": f"{self.actor}/inbox",
            "assertionMethod": [
                {
                    "id": self.key_id,
                    "type": "Multikey",
                    "controller": self.actor,
                    "publicKeyMultibase": integrity.public_multibase(pem or self.pem),
                }
            ],
        }

    def serve(self, path: str, doc: dict[str, Any]) -> None:
        self.peer.add_file(path, File(json.dumps(doc).encode(), AS))

    def signed(self, doc: dict[str, Any], pem: str | None = None, key_id: str | None = None):
        return integrity.sign(doc, key_id or self.key_id, pem or self.pem)

    def entry(self, n: int, value: str, **changes: Any) -> dict[str, Any]:
        doc = {
            "id": f"{self.url}/entries/{n}",
            "type": "HashListEntry",
            "algorithm": "pdq",
            "hash": value,
            "quality": 100,
            "reason": "provenance",
            "published": "2026-12-01T10:00:00Z",
        }
        doc.update(changes)
        return doc

    def publish(self, items: list[Any], *, page_size: int = 3) -> None:
        """The list and its pages, every document signed."""
        pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
        first = f"{self.url}?page=1"
        self.serve(
            "/hash-list",
            self.signed(
                {
                    "@context": CONTEXT,
                    "id": self.url,
                    "type": "OrderedCollection",
                    "totalItems": len(items),
                    "first": first,
                }
            ),
        )
        for n, chunk in enumerate(pages, 1):
            page: dict[str, Any] = {
                "@context": CONTEXT,
                "id": f"{self.url}?page={n}",
                "type": "OrderedCollectionPage",
                "partOf": self.url,
                "orderedItems": chunk,
            }
            if n < len(pages):
                page["next"] = f"{self.url}?page={n + 1}"
            self.serve(f"/hash-list?page={n}", self.signed(page))

    def stop(self) -> None:
        self.peer.stop()


@pytest.fixture(scope="module")
def b(make_module_instance):
    instance = make_module_instance(
        "b", extra_config="[screening]\nhash_list_max_entries = 5\nenabled = true\n"
    )
    return instance


@pytest.fixture
def lists():
    made: list[ListServer] = []

    def make() -> ListServer:
        made.append(ListServer())
        return made[-1]

    yield make
    for server in made:
        server.stop()


def subscriptions(b) -> list[dict[str, Any]]:
    return json.loads(b.cli("hashlist", "list", "--json").stdout)["subscriptions"]


def subscribe_fails(b, url: str, why: str) -> None:
    result = b.cli("hashlist", "subscribe", url, check=False)
    assert result.returncode == 1, result.stdout
    assert "nothing was subscribed" in result.stderr and why in result.stderr, result.stderr
    assert url not in [s["url"] for s in subscriptions(b)]


def test_a_well_formed_list_is_subscribed(b, lists):
    server = lists()
    server.publish([server.entry(i, h) for i, h in enumerate(HASHES[:4])])
    out = b.cli("hashlist", "subscribe", server.url).stdout
    assert "4 entries" in out and "review" in out
    [found] = [s for s in subscriptions(b) if s["url"] == server.url]
    # Review is the default: another instance's perceptual match holds a post for a person.
    assert (found["entries"], found["action"], found["last_error"]) == (4, "review", None)
    again = b.cli("hashlist", "subscribe", server.url, "--action", "refuse").stdout
    assert "updated the subscription" in again
    assert [s["action"] for s in subscriptions(b) if s["url"] == server.url] == ["refuse"]
    stored = b.query(
        "SELECT h.hash FROM subscribed_hashes h JOIN hash_subscriptions s "
        "ON s.id = h.subscription_id WHERE s.url = ?",
        server.url,
    )
    assert sorted(h for (h,) in stored) == sorted(HASHES[:4])


def test_a_list_longer_than_the_limit_is_refused(b, lists):
    server = lists()
    server.publish([server.entry(i, h) for i, h in enumerate(HASHES[:6])])
    subscribe_fails(b, server.url, "more than 5 entries")


def test_a_list_too_large_to_download_is_refused(b, lists):
    server = lists()
    server.peer.add_file("/hash-list", File(b'{"id": "', AS, pad_to=3_000_000))
    subscribe_fails(b, server.url, "over the 2000000 limit")


def test_a_page_changed_after_signing_is_refused(b, lists):
    server = lists()
    server.publish([server.entry(i, h) for i, h in enumerate(HASHES[:2])])
    page = json.loads(server.peer.file("/hash-list?page=1").body)
    forged = copy.deepcopy(page)
    forged["orderedItems"][0]["hash"] = HASHES[5]
    server.serve("/hash-list?page=1", forged)
    subscribe_fails(b, server.url, "does not verify")


def test_a_list_signed_with_another_key_is_refused(b, lists):
    server = lists()
    server.publish([server.entry(1, HASHES[0])])
    intruder_pem = integrity.generate_ed25519_pem()
    doc = json.loads(server.peer.file("/hash-list").body)
    doc.pop("proof")
    server.serve("/hash-list", server.signed(doc, pem=intruder_pem))
    subscribe_fails(b, server.url, "does not verify")


def test_an_unsigned_list_is_refused(b, lists):
    server = lists()
    server.publish([server.entry(1, HASHES[0])])
    doc = json.loads(server.peer.file("/hash-list").body)
    doc.pop("proof")
    server.serve("/hash-list", doc)
    subscribe_fails(b, server.url, "no integrity proof")


def test_a_list_signed_by_a_key_of_another_server_is_refused(b, lists):
    server, other = lists(), lists()
    server.publish([server.entry(1, HASHES[0])])
    doc = json.loads(server.peer.file("/hash-list").body)
    doc.pop("proof")
    server.serve("/hash-list", other.signed(doc))
    subscribe_fails(b, server.url, "a key of another server")


def test_lists_served_from_another_origin_are_refused(b, lists):
    server, other = lists(), lists()
    other.publish([other.entry(1, HASHES[0])])
    # Another server's list, copied with its proof...
    server.serve("/hash-list", json.loads(other.peer.file("/hash-list").body))
    subscribe_fails(b, server.url, "a key of another server")
    # ...or signed here but naming the other server's list as itself...
    doc = json.loads(other.peer.file("/hash-list").body)
    doc.pop("proof")
    server.serve("/hash-list", server.signed(doc))
    subscribe_fails(b, server.url, "not the URL it was fetched from")
    # ...a list whose pages are on another server...
    doc = json.loads(other.peer.file("/hash-list").body)
    doc.pop("proof")
    doc.update(id=server.url, first=f"{other.url}?page=1")
    server.serve("/hash-list", server.signed(doc))
    subscribe_fails(b, server.url, "on another server")
    # ...and a redirect to another server's list.
    server.peer.add_file("/hash-list", File(b"", AS, redirect_to=other.url))
    subscribe_fails(b, server.url, "another origin")


def test_malformed_entries_are_skipped_and_the_rest_kept(b, lists):
    server = lists()
    server.publish(
        [
            server.entry(1, HASHES[0]),
            server.entry(2, "zz" * 32),
            server.entry(3, HASHES[1], algorithm="md5"),
            server.entry(4, HASHES[2], reason="because"),
            "not an object",
            server.entry(5, HASHES[3], id="https://elsewhere.example/entries/5"),
            server.entry(6, HASHES[4], quality=10),
        ]
    )
    out = b.cli("hashlist", "subscribe", server.url).stdout
    assert "1 entries" in out and "skipped 6" in out
    [found] = [s for s in subscriptions(b) if s["url"] == server.url]
    assert (found["entries"], found["skipped"]) == (1, 6)


def test_a_failed_sync_keeps_the_last_good_copy(b, lists):
    server = lists()
    server.publish([server.entry(i, h) for i, h in enumerate(HASHES[:3])])
    assert "3 entries" in b.cli("hashlist", "subscribe", server.url).stdout
    page = json.loads(server.peer.file("/hash-list?page=1").body)
    page["orderedItems"] = []
    server.serve("/hash-list?page=1", page)  # emptied, but the proof is the old one
    result = b.cli("hashlist", "sync", server.url, check=False)
    assert result.returncode == 1 and "stays in force" in result.stdout
    [found] = [s for s in subscriptions(b) if s["url"] == server.url]
    assert found["entries"] == 3 and "does not verify" in found["last_error"]


def test_bad_subscriptions_are_explained(b, lists):
    result = b.cli("hashlist", "subscribe", "ftp://x.example/list", check=False)
    assert result.returncode == 1 and "http(s)" in result.stderr
    result = b.cli("hashlist", "subscribe", f"{b.base_url}/hash-list", check=False)
    assert result.returncode == 1 and "own list" in result.stderr
    result = b.cli("hashlist", "unsubscribe", "https://never.example/hash-list", check=False)
    assert result.returncode == 1 and "no subscription" in result.stderr
