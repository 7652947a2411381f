"""Each inbound activity type against running instances: locked accounts and follow requests,
profile updates, post edits, likes and boosts with their Undo, and deletion of an actor."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from activitypub.vocab import PUBLIC
from federation.keys import generate_rsa_keypair
from tests.conftest import artwork
from tests.e2e.crafted import create_note, new_id, post_signed
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}


def test_locked_account_gets_a_follow_request_that_can_be_approved(pair):
    a, b = pair
    b.cli("user", "add", "carol")
    b.cli("user", "edit", "carol", "--approve-followers")
    actor = httpx.get(f"{b.base_url}/users/carol", headers=AS).json()
    assert actor["manuallyApprovesFollowers"] is True

    out = a.cli("follow", "alice", f"carol@{b.domain}", "--wait", "1").stdout
    assert "pending" in out
    listed = b.cli("follow-requests", "carol").stdout
    assert f"alice@{a.domain}" in listed
    followers = httpx.get(f"{b.base_url}/users/carol/followers", headers=AS).json()
    assert followers["totalItems"] == 0  # no access before approval

    b.cli("approve", "carol", f"alice@{a.domain}")
    wait_for(
        lambda: (
            a.query(
                "SELECT f.state FROM follows f JOIN actors t ON f.followee_id = t.id "
                "WHERE t.username = 'carol'"
            )
            == [("accepted",)]
        ),
        what="the approval to reach A",
    )


def test_rejected_follow_request_is_removed_on_both_sides(pair):
    a, b = pair
    b.cli("user", "add", "dora")
    b.cli("user", "edit", "dora", "--approve-followers")
    a.cli("follow", "alice", f"dora@{b.domain}", "--wait", "0")
    wait_for(
        lambda: f"alice@{a.domain}" in b.cli("follow-requests", "dora").stdout,
        what="the request to reach B",
    )
    b.cli("reject", "dora", f"alice@{a.domain}")
    wait_for(
        lambda: (
            a.query(
                "SELECT count(*) FROM follows f JOIN actors t ON f.followee_id = t.id "
                "WHERE t.username = 'dora'"
            )
            == [(0,)]
        ),
        what="the rejection to reach A",
    )
    assert "no pending" in b.cli("follow-requests", "dora").stdout


def test_profile_update_reaches_followers(pair, tmp_path):
    a, b = pair
    avatar = tmp_path / "avatar.png"
    avatar.write_bytes(artwork(64, 64, seed=9, fmt="PNG"))
    b.cli(
        "user",
        "edit",
        "bob",
        "--display-name",
        "Bob Painter",
        "--bio",
        "Oils.",
        "--avatar",
        str(avatar),
    )
    actor = httpx.get(f"{b.base_url}/users/bob", headers=AS).json()
    assert actor["name"] == "Bob Painter"
    assert actor["icon"]["mediaType"] == "image/png"
    assert httpx.get(actor["icon"]["url"]).status_code == 200
    wait_for(
        lambda: (
            a.query("SELECT display_name, icon_url FROM actors WHERE uri = ?", actor["id"])
            == [("Bob Painter", actor["icon"]["url"])]
        ),
        what="A to refetch bob",
    )


def test_update_cannot_swap_the_actor_key(pair):
    """GoToSocial #3198: an Update carrying a new key is refetched from the origin instead."""
    a, b = pair
    actor = httpx.get(f"{b.base_url}/users/bob", headers=AS).json()
    _, forged_public = generate_rsa_keypair()
    forged = dict(actor, publicKey=dict(actor["publicKey"], publicKeyPem=forged_public))
    response = post_signed(
        a,
        b,
        "bob",
        {
            "id": new_id(b),
            "type": "Update",
            "actor": actor["id"],
            "object": forged,
            "to": [PUBLIC],
        },
    )
    assert response.status_code == 202
    wait_for(
        lambda: (
            a.query(
                "SELECT state FROM inbound_activities WHERE kind = 'Update' "
                "ORDER BY id DESC LIMIT 1"
            )
            == [("done",)]
        ),
        what="the Update to be processed",
    )
    [(pem,)] = a.query("SELECT public_key_pem FROM actors WHERE uri = ?", actor["id"])
    assert pem == actor["publicKey"]["publicKeyPem"]


def test_post_edit_like_boost_and_their_undo(pair, tmp_path):
    a, b = pair
    picture = tmp_path / "p.jpg"
    picture.write_bytes(artwork(120, 90, seed=5))
    b.cli("post", "bob", "--image", str(picture), "--alt", "first alt", "--text", "before")
    [entry] = wait_for(
        lambda: [e for e in a.timeline("alice") if "before" in e["content"]], what="the post"
    )
    note = httpx.get(entry["uri"], headers=AS).json()
    note["content"] = "<p>after</p>"
    note["attachment"][0]["name"] = "second alt"
    note.pop("@context")
    response = post_signed(
        a,
        b,
        "bob",
        {
            "id": f"{entry['uri']}#updates/1",
            "type": "Update",
            "actor": note["attributedTo"],
            "object": note,
            "to": [PUBLIC],
        },
    )
    assert response.status_code == 202
    wait_for(
        lambda: (
            next(e for e in a.timeline("alice") if e["uri"] == entry["uri"])["content"]
            == "<p>after</p>"
        ),
        what="the edit",
    )
    [edited] = [e for e in a.timeline("alice") if e["uri"] == entry["uri"]]
    assert edited["media"][0]["alt"] == "second alt"

    # Bob likes and boosts alice's post on A; then takes both back.
    alice_pic = tmp_path / "a.jpg"
    alice_pic.write_bytes(artwork(100, 100, seed=2))
    alice_post = a.cli("post", "alice", "--image", str(alice_pic), "--alt", "a cat").stdout
    [(alice_uri,)] = a.query("SELECT uri FROM posts WHERE url = ?", alice_post.strip())
    bob = f"{b.base_url}/users/bob"
    like = {"id": new_id(b), "type": "Like", "actor": bob, "object": alice_uri}
    boost = {"id": new_id(b), "type": "Announce", "actor": bob, "object": alice_uri, "to": [PUBLIC]}
    for activity in (like, boost):
        assert post_signed(a, b, "bob", activity).status_code == 202

    def interactions():
        return sorted(a.query("SELECT kind FROM interactions WHERE object_uri = ?", alice_uri))

    wait_for(lambda: interactions() == [("Announce",), ("Like",)], what="like and boost")
    for activity in (like, boost):
        undo = {"id": new_id(b), "type": "Undo", "actor": bob, "object": activity}
        assert post_signed(a, b, "bob", undo).status_code == 202
    wait_for(lambda: interactions() == [], what="the undos")


def test_delete_of_an_actor_removes_everything_of_theirs(pair, tmp_path):
    a, b = pair
    b.cli("user", "add", "erin")
    a.cli("follow", "alice", f"erin@{b.domain}")
    picture = tmp_path / "e.jpg"
    picture.write_bytes(artwork(80, 80, seed=4))
    b.cli("post", "erin", "--image", str(picture), "--alt", "erin's work")
    erin = f"{b.base_url}/users/erin"
    wait_for(
        lambda: (
            a.query(
                "SELECT count(*) FROM posts p JOIN actors x ON p.author_id = x.id WHERE x.uri = ?",
                erin,
            )
            == [(1,)]
        ),
        what="erin's post",
    )
    [(file_name,)] = a.query(
        "SELECT m.file_name FROM media_attachments m JOIN posts p ON m.post_id = p.id "
        "JOIN actors x ON p.author_id = x.id WHERE x.uri = ?",
        erin,
    )
    delete = {
        "id": f"{erin}#delete",
        "type": "Delete",
        "actor": erin,
        "object": erin,
        "to": [PUBLIC],
    }
    assert post_signed(a, b, "erin", delete).status_code == 202
    wait_for(
        lambda: a.query("SELECT count(*) FROM actors WHERE uri = ?", erin) == [(0,)],
        what="erin to be gone",
    )
    assert a.query(
        "SELECT count(*) FROM follows f JOIN actors x ON f.followee_id = x.id WHERE x.uri = ?", erin
    ) == [(0,)]
    # The files go after the rows' transaction commits (a file cannot be in it): wait for them.
    gone = wait_for(lambda: not a.has_media(file_name), what="erin's image file")
    assert gone


def test_delete_from_an_unknown_actor_is_answered_without_a_key_fetch(pair):
    a, _ = pair
    stranger = "http://127.0.0.1:9/users/nobody"  # nothing listens there: a fetch would fail
    body = json.dumps(
        {"id": f"{stranger}#delete", "type": "Delete", "actor": stranger, "object": stranger}
    ).encode()
    response = httpx.post(
        f"{a.base_url}/inbox", content=body, headers={"content-type": "application/activity+json"}
    )
    assert response.status_code == 202
    assert "never knew" in response.json()["status"]


def test_posts_are_kept_only_from_followed_accounts_or_as_replies(pair, tmp_path):
    a, b = pair
    b.cli("user", "add", "finn")  # nobody on A follows finn
    finn = f"{b.base_url}/users/finn"

    def create(content: str, in_reply_to: str | None = None) -> tuple[str, dict]:
        activity = create_note(finn, content=content, in_reply_to=in_reply_to)
        return activity["object"]["id"], activity

    stray_id, stray = create("unsolicited")
    assert post_signed(a, b, "finn", stray).status_code == 202
    picture = tmp_path / "r.jpg"
    picture.write_bytes(artwork(60, 60, seed=8))
    page = a.cli("post", "alice", "--image", str(picture), "--alt", "a tree").stdout.strip()
    [(alice_uri,)] = a.query("SELECT uri FROM posts WHERE url = ?", page)
    reply_id, reply = create("lovely tree", in_reply_to=alice_uri)
    assert post_signed(a, b, "finn", reply).status_code == 202
    wait_for(lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", reply_id), what="the reply")
    assert a.query("SELECT state FROM inbound_activities WHERE uri = ?", stray["id"]) == [("done",)]
    assert a.query("SELECT count(*) FROM posts WHERE uri = ?", stray_id) == [(0,)]


def test_unhandled_activity_types_are_acknowledged_and_ignored(pair):
    a, b = pair
    bob = f"{b.base_url}/users/bob"
    activity = {
        "id": new_id(b),
        "type": "Arrive",  # AS2 vocabulary no fediverse server acts on
        "actor": bob,
        "object": f"{a.base_url}/users/alice",
    }
    response = post_signed(a, b, "bob", activity)
    assert response.status_code == 202
    assert "not handled" in response.json()["status"]
    assert a.query("SELECT count(*) FROM inbound_activities WHERE uri = ?", activity["id"]) == [
        (0,)
    ]


def test_a_direct_message_is_not_shown_to_other_followers(pair):
    """A DM from a followed account to someone else must not reach a follower's feed."""
    a, b = pair
    a.cli("user", "add", "zoe")
    bob = f"{b.base_url}/users/bob"
    dm = create_note(bob, content="for zoe", to=[f"{a.base_url}/users/zoe"])
    note_id = dm["object"]["id"]
    assert post_signed(a, b, "bob", dm).status_code == 202
    wait_for(
        lambda: a.query("SELECT visibility FROM posts WHERE uri = ?", note_id) == [("direct",)],
        what="the DM to be stored",
    )
    assert all(e["uri"] != note_id for e in a.timeline("alice"))


class _ImageHost(BaseHTTPRequestHandler):
    """A media host: /missing answers 404, /flaky answers 503."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(404 if self.path == "/missing.jpg" else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_media_that_cannot_be_fetched_is_never_shown_unscreened(pair):
    a, b = pair
    host = ThreadingHTTPServer(("127.0.0.1", 0), _ImageHost)
    threading.Thread(target=host.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{host.server_address[1]}"
    bob = f"{b.base_url}/users/bob"
    try:
        ids = {}
        for name in ("missing", "flaky"):
            image = {
                "type": "Document",
                "mediaType": "image/jpeg",
                "url": f"{base}/{name}.jpg",
                "name": "alt",
            }
            activity = create_note(bob, content=name, attachment=[image])
            ids[name] = activity["object"]["id"]
            assert post_signed(a, b, "bob", activity).status_code == 202
        # A permanent failure: the post is kept, its unscreened image is not shown.
        wait_for(
            lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", ids["missing"]),
            what="the post with a missing image",
        )
        assert a.query(
            "SELECT m.screening_verdict FROM media_attachments m JOIN posts p "
            "ON m.post_id = p.id WHERE p.uri = ?",
            ids["missing"],
        ) == [("unavailable",)]
        [entry] = [e for e in a.timeline("alice") if e["uri"] == ids["missing"]]
        assert entry["media"] == []
        # A temporary failure: the job waits and retries; nothing is stored meanwhile.
        wait_for(
            lambda: (
                a.query(
                    "SELECT attempts >= 1 AND state = 'pending' AND error LIKE '%503%' "
                    "FROM inbound_activities WHERE uri = ?",
                    f"{ids['flaky']}/activity",
                )
                == [(1,)]
            ),
            what="the retry to be scheduled",
        )
        assert a.query("SELECT count(*) FROM posts WHERE uri = ?", ids["flaky"]) == [(0,)]
    finally:
        host.shutdown()
