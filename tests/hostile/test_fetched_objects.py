"""An object fetched by id is trusted only if it is what was asked for: its `id` is the URL we
fetched (GoToSocial #2639), it comes as ActivityStreams, and the fetch did not leave the
actor's origin by a redirect (Akkoma 2024.03). A Create that carries its object by reference is
the way in: each case is answered 202 (the inbox cannot know yet) and then stores nothing."""

from __future__ import annotations

import json

import pytest

from tests.fake_peer import FakePeer, File
from tests.instances import wait_for

AS = "application/activity+json"


@pytest.fixture(scope="module")
def setup(make_module_instance):
    receiver = make_module_instance("receiver")
    receiver.cli("user", "add", "alice")
    peer, other = FakePeer().start(), FakePeer().start()
    yield receiver, peer, other, peer.add_actor("painter")
    peer.stop()
    other.stop()


def note(painter: str, note_id: str, to: str) -> dict:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": note_id,
        "type": "Note",
        "attributedTo": painter,
        "content": "<p>fetched</p>",
        "to": [to],
    }


def create_by_reference(receiver, peer: FakePeer, painter: str, note_url: str) -> str:
    alice = f"{receiver.base_url}/users/alice"
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_url}/activity",
        "type": "Create",
        "actor": painter,
        "to": [alice],
        "object": note_url,
    }
    assert peer.send(painter, f"{receiver.base_url}/inbox", activity).status_code == 202
    wait_for(
        lambda: receiver.query(
            "SELECT 1 FROM inbound_activities WHERE uri = ? AND state != 'pending'",
            activity["id"],
        ),
        timeout=30,
        what="the Create to be handled",
    )
    return activity["id"]


def serve(peer: FakePeer, path: str, doc: dict, content_type: str = AS) -> str:
    return peer.add_file(path, File(json.dumps(doc).encode(), content_type))


def test_an_object_served_properly_is_stored(setup):
    """The control: the same route with nothing wrong stores the post."""
    receiver, peer, _, painter = setup
    url = f"{painter}/statuses/good"
    serve(
        peer, url.removeprefix(peer.origin), note(painter, url, f"{receiver.base_url}/users/alice")
    )
    create_by_reference(receiver, peer, painter, url)
    assert receiver.query("SELECT count(*) FROM posts WHERE uri = ?", url) == [(1,)]


def test_an_object_whose_id_is_not_the_url_asked_is_not_stored(setup):
    receiver, peer, _, painter = setup
    url = f"{painter}/statuses/swapped"
    claimed = f"{painter}/statuses/someone-elses"
    serve(
        peer,
        url.removeprefix(peer.origin),
        note(painter, claimed, f"{receiver.base_url}/users/alice"),
    )
    create_by_reference(receiver, peer, painter, url)
    assert receiver.query("SELECT count(*) FROM posts WHERE uri IN (?, ?)", url, claimed) == [(0,)]


def test_an_object_not_served_as_activitystreams_is_not_stored(setup):
    receiver, peer, _, painter = setup
    url = f"{painter}/statuses/html"
    doc = note(painter, url, f"{receiver.base_url}/users/alice")
    serve(peer, url.removeprefix(peer.origin), doc, content_type="text/html")
    create_by_reference(receiver, peer, painter, url)
    assert receiver.query("SELECT count(*) FROM posts WHERE uri = ?", url) == [(0,)]


def test_a_fetch_redirected_to_another_origin_is_not_followed(setup):
    receiver, peer, other, painter = setup
    url = f"{painter}/statuses/moved"
    elsewhere = serve(
        other, "/statuses/moved", note(painter, url, f"{receiver.base_url}/users/alice")
    )
    peer.add_file(url.removeprefix(peer.origin), File(b"", AS, redirect_to=elsewhere))
    create_by_reference(receiver, peer, painter, url)
    assert receiver.query("SELECT count(*) FROM posts WHERE uri = ?", url) == [(0,)]
