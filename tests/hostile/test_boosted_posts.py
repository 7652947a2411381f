"""A boost makes this server fetch a post it was not sent: the fetched post passes the same
gates as one that arrives in a Create. A boosted generated image is refused (a moderation
record, no post, no file); a "post" whose id or author lives on another server than the
address fetched is not stored; a boost by someone nobody here follows fetches nothing."""

from __future__ import annotations

import json

import pytest

from tests.fake_peer import FakePeer, File
from tests.inbox.screening import images as img
from tests.instances import follow_accepted, wait_handled

AS = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture(scope="module")
def setup(make_module_instance):
    """alice here follows the peer's `booster` (accepted); `painter` lives on the same peer."""
    receiver = make_module_instance("receiver")
    receiver.cli("user", "add", "alice")
    peer = FakePeer().start()
    booster, painter, stranger = (peer.add_actor(n) for n in ("booster", "painter", "stranger"))
    follow_accepted(receiver, "alice", peer, booster)
    yield receiver, peer, booster, painter, stranger
    peer.stop()


def serve_note(peer: FakePeer, path: str, painter: str, image: bytes, **changes) -> str:
    url = peer.add_file(f"{path}.png", File(image, "image/png"))
    note = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.origin}{path}",
        "type": "Note",
        "attributedTo": painter,
        "content": "<p>a work</p>",
        "to": [PUBLIC],
        "attachment": [{"type": "Document", "mediaType": "image/png", "url": url}],
        **changes,
    }
    return peer.add_file(path, File(json.dumps(note).encode(), AS))


def boost(receiver, peer: FakePeer, booster: str, note_uri: str) -> None:
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.new_id(booster),
        "type": "Announce",
        "actor": booster,
        "object": note_uri,
        "to": [PUBLIC],
    }
    assert peer.send(booster, f"{receiver.base_url}/inbox", activity).status_code == 202
    wait_handled(receiver, activity["id"])


def posts(receiver, uri: str) -> list:
    return receiver.query("SELECT count(*) FROM posts WHERE uri = ?", uri)


def test_a_boosted_honest_work_is_fetched_and_stored(setup):
    """The control: the same route with nothing wrong stores the post and its image."""
    receiver, peer, booster, painter, _ = setup
    photo = img.encode(img.photo().resize((128, 128)))
    uri = serve_note(peer, "/painter/statuses/honest", painter, photo)
    boost(receiver, peer, booster, uri)
    assert posts(receiver, uri) == [(1,)]


def test_a_boosted_generated_image_is_refused_like_a_created_one(setup):
    receiver, peer, booster, painter, _ = setup
    generated = img.png_with_text(
        img.photo().resize((128, 128)), parameters="a castle, Steps: 20, Sampler: Euler a"
    )
    uri = serve_note(peer, "/painter/statuses/generated", painter, generated)
    boost(receiver, peer, booster, uri)
    assert posts(receiver, uri) == [(0,)]
    [(state, reason)] = receiver.query(
        "SELECT state, reason FROM moderation_records WHERE post_uri = ?", uri
    )
    assert state == "refused" and "parameters" in reason


def test_a_post_claiming_an_author_on_another_server_is_not_stored(setup):
    receiver, peer, booster, _, _ = setup
    photo = img.encode(img.photo().resize((96, 96)))
    uri = serve_note(peer, "/painter/statuses/forged", "https://victim.example/users/x", photo)
    boost(receiver, peer, booster, uri)
    assert posts(receiver, uri) == [(0,)]


def test_a_boost_by_someone_not_followed_here_fetches_nothing(setup):
    receiver, peer, _, painter, stranger = setup
    photo = img.encode(img.photo().resize((100, 100)))
    path = "/painter/statuses/unasked"
    uri = serve_note(peer, path, painter, photo)
    boost(receiver, peer, stranger, uri)
    assert posts(receiver, uri) == [(0,)]
    assert path not in peer.bytes_sent
