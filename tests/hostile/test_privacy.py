"""Who may see what: a followers-only post reaches and is served to accepted followers only,
a pending follow request gives nothing (Pixelfed CVE-2025-30741), and a blocked server can
neither deliver to us nor fetch from us, nor receive from us."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import artwork
from tests.e2e.crafted import create_note, post_signed, signed_get
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}


def post(instance, name: str, tmp_path, *args: str) -> str:
    picture = tmp_path / f"{name}.png"
    picture.write_bytes(artwork(64, 48, fmt="PNG"))
    return instance.cli("post", name, "--image", str(picture), "--alt", "ink", *args).stdout.strip()


def uri_of(instance, url: str) -> str:
    [(uri,)] = instance.query("SELECT uri FROM posts WHERE url = ?", url)
    return uri


@pytest.fixture(scope="module")
def three(make_module_instance):
    """B's carol approves followers. A's alice is an accepted follower; C's pat asked and waits."""
    a = make_module_instance("a")
    b = make_module_instance("b")
    c = make_module_instance("c")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "carol")
    c.cli("user", "add", "pat")
    a.cli("user", "add", "stranger")
    b.cli("user", "edit", "carol", "--approve-followers")
    assert "pending" in a.cli("follow", "alice", f"carol@{b.domain}", "--wait", "1").stdout
    b.cli("approve", "carol", f"alice@{a.domain}")
    assert "pending" in c.cli("follow", "pat", f"carol@{b.domain}", "--wait", "1").stdout
    wait_for(
        lambda: a.query("SELECT state FROM follows") == [("accepted",)],
        what="A to see its follow accepted",
    )
    return a, b, c


def test_a_followers_only_post_goes_to_accepted_followers_and_no_one_else(three, tmp_path):
    a, b, c = three
    url = post(b, "carol", tmp_path, "--visibility", "followers")
    uri = uri_of(b, url)

    wait_for(lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", uri), what="A to get it")
    assert a.query("SELECT visibility FROM posts WHERE uri = ?", uri) == [("followers",)]
    [(create,)] = b.query("SELECT id FROM outbound_activities WHERE uri = ?", f"{uri}/activity")
    inboxes = [i for (i,) in b.query("SELECT inbox FROM deliveries WHERE activity_id = ?", create)]
    assert inboxes and all(i.startswith(a.base_url) for i in inboxes)  # not to C's pending pat

    assert signed_get(uri, a, "alice").status_code == 200  # the accepted follower's server
    for who, reader in (("pending follower", (c, "pat")), ("stranger", (a, "stranger"))):
        response = signed_get(uri, *reader)
        assert response.status_code == 404, who
        assert signed_get(f"{uri}/activity", *reader).status_code == 404, who
    assert httpx.get(uri, headers=AS).status_code == 404  # unsigned
    assert httpx.get(f"{uri}/activity", headers=AS).status_code == 404
    assert httpx.get(url).status_code == 404  # the HTML page
    outbox = httpx.get(f"{b.base_url}/users/carol/outbox?page=true", headers=AS).json()
    assert uri not in str(outbox)
    assert c.query("SELECT count(*) FROM posts WHERE uri = ?", uri) == [(0,)]


def test_a_pending_follower_is_not_counted_or_listed(three):
    _, b, c = three
    followers = httpx.get(f"{b.base_url}/users/carol/followers", headers=AS).json()
    assert followers["totalItems"] == 1
    assert f"{c.base_url}/users/pat" not in str(followers)


def test_a_public_post_of_a_locked_account_is_public(three, tmp_path):
    """Locking an account governs who follows, not what its public posts are."""
    _, b, c = three
    uri = uri_of(b, post(b, "carol", tmp_path))
    assert signed_get(uri, c, "pat").status_code == 200


def test_a_blocked_server_can_neither_deliver_nor_fetch_nor_be_sent_to(make_instance, tmp_path):
    a = make_instance("a", extra_federation="authorized_fetch = true")
    evil = make_instance("evil")
    a.cli("user", "add", "alice")
    evil.cli("user", "add", "mallory")
    assert "accepted" in a.cli("follow", "alice", f"mallory@{evil.domain}").stdout
    assert "accepted" in evil.cli("follow", "mallory", f"alice@{a.domain}").stdout
    mallory_post = uri_of(evil, post(evil, "mallory", tmp_path))
    wait_for(lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", mallory_post), what="a post")

    out = a.cli("domain", "block", evil.domain, "--reason", "harassment").stdout
    assert "removed 1 account" in out
    assert a.query("SELECT count(*) FROM actors WHERE domain = ?", evil.domain) == [(0,)]
    assert a.query("SELECT count(*) FROM posts WHERE local = FALSE") == [(0,)]
    assert a.query("SELECT count(*) FROM follows") == [(0,)]
    assert evil.domain in a.cli("domain", "list").stdout

    # Delivering: refused before any key fetch, within the server's re-read of the list.
    mallory = f"{evil.base_url}/users/mallory"
    wait_for(
        lambda: post_signed(a, evil, "mallory", create_note(mallory)).status_code == 403,
        timeout=15,
        what="the running server to apply the block",
    )
    activity = create_note(mallory)
    refused = post_signed(a, evil, "mallory", activity)
    assert refused.status_code == 403 and "blocked" in refused.json()["error"]
    assert a.query("SELECT count(*) FROM inbound_activities WHERE uri = ?", activity["id"]) == [
        (0,)
    ]
    # What got in before the server re-read the list is dropped by the worker, not handled.
    wait_for(lambda: not a.query("SELECT 1 FROM inbound_activities WHERE state = 'pending'"))
    assert a.query("SELECT count(*) FROM posts WHERE local = FALSE") == [(0,)]

    # Fetching: a signed read from the blocked server is refused, even of a public actor.
    alice = f"{a.base_url}/users/alice"
    alice_post = uri_of(a, post(a, "alice", tmp_path))
    for url in (alice_post, f"{alice}/outbox"):
        response = signed_get(url, evil, "mallory")
        assert response.status_code == 403 and "blocked" in response.json()["error"], url

    # Sending: nothing is queued or sent to it, and following it is refused with the reason.
    assert a.query(
        "SELECT count(*) FROM deliveries d JOIN outbound_activities o ON d.activity_id = o.id "
        "WHERE d.domain = ? AND (d.state = 'pending' OR o.uri = ?)",
        evil.domain,
        f"{alice_post}/activity",
    ) == [(0,)]
    refused = a.cli("follow", "alice", f"mallory@{evil.domain}", check=False)
    assert refused.returncode == 1 and "blocked" in refused.stderr, refused.stderr
    assert a.query("SELECT count(*) FROM actors WHERE domain = ?", evil.domain) == [(0,)]

    a.cli("domain", "unblock", evil.domain)
    assert "accepted" in a.cli("follow", "alice", f"mallory@{evil.domain}").stdout
