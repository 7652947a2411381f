"""Remote actors that would misdirect our signed deliveries or pass for someone else (issue
18, items 3 and 4), against a running instance: an attacker's server on loopback serves the
actor documents, signs with the actor's key, and the instance's database says what stuck."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.hostile.attacker import Attacker


@pytest.fixture(scope="module")
def site(make_module_instance):
    a = make_module_instance("a")
    a.cli("user", "add", "alice")
    return a


def _follow(site, attacker: Attacker, actor: str) -> httpx.Response:
    follow = {
        "id": f"{actor}#follows/1",
        "type": "Follow",
        "object": f"{site.base_url}/users/alice",
    }
    return attacker.post(f"{site.base_url}/users/alice/inbox", actor, follow)


def _known(site, actor: str) -> list[tuple]:
    return site.query(
        "SELECT username, display_name, inbox, shared_inbox FROM actors WHERE uri = ?", actor
    )


def test_an_actor_whose_inbox_is_another_server_cannot_follow(site, attacker):
    """Else our signed Accept (and every post after it) would go to a server the actor chose."""
    actor = attacker.actor("mallory", inbox="https://victim.example/inbox")
    deliveries = site.query("SELECT count(*) FROM deliveries")[0][0]
    response = _follow(site, attacker, actor)
    assert response.status_code == 401, response.text
    assert "inbox is not on the actor's own server" in response.json()["error"]
    assert _known(site, actor) == []
    assert site.query("SELECT count(*) FROM inbound_activities WHERE actor_uri = ?", actor) == [
        (0,)
    ]
    assert site.query("SELECT count(*) FROM deliveries")[0][0] == deliveries


def test_a_shared_inbox_on_another_server_is_dropped(site, attacker):
    actor = attacker.actor("dora", endpoints={"sharedInbox": "https://victim.example/inbox"})
    assert _follow(site, attacker, actor).status_code == 202
    assert _known(site, actor) == [("dora", "", f"{actor}/inbox", None)]


def test_a_username_that_would_read_as_one_of_ours_is_refused(site, attacker):
    """`alice@<our host>` from the attacker would display as @alice@ourhost@attacker."""
    actor = attacker.actor("imp")
    attacker.documents["/users/imp"]["preferredUsername"] = f"alice@{site.domain}"
    response = _follow(site, attacker, actor)
    assert response.status_code == 401, response.text
    assert "is not a username" in response.json()["error"]
    assert _known(site, actor) == []


def test_a_display_name_keeps_no_bidi_or_invisible_characters(site, attacker):
    actor = attacker.actor("eve", name="\u202eecilA\u202c\u200b")
    assert _follow(site, attacker, actor).status_code == 202
    [(username, name, _, _)] = _known(site, actor)
    assert (username, name) == ("eve", "ecilA")


def test_a_handle_is_followed_only_if_the_actor_s_own_server_answers_for_it(site, attacker):
    """Mastodon's WebFinger round trip. A server that lets anyone put a JSON file up (here
    /uploads/admin.json, naming itself "admin") must not give the uploader its admin's
    handle: looked up through the attacker's WebFinger, that document would show as
    @admin@<that server>, whose own WebFinger names its real admin."""
    host = Attacker()  # the honest server with the upload hole
    threading.Thread(target=host.serve_forever, daemon=True).start()
    try:
        admin = host.actor("admin")
        host.handles[f"acct:admin@{host.domain}"] = admin
        upload = f"{host.origin}/uploads/admin.json"
        host.documents["/uploads/admin.json"] = {**host.documents["/users/admin"], "id": upload}
        host.documents["/uploads/admin.json"]["publicKey"] = {
            "id": f"{upload}#main-key",
            "owner": upload,
            "publicKeyPem": host.public_pem,
        }
        attacker.handles[f"acct:bob@{attacker.domain}"] = upload

        refused = site.cli("follow", "alice", f"bob@{attacker.domain}", check=False)
        assert refused.returncode == 1
        assert f"{upload} is not what {host.domain} answers for @admin@{host.domain}" in (
            refused.stderr
        )
        assert site.query(
            "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.followee_id WHERE a.uri = ?",
            upload,
        ) == [(0,)]
        # The server's own answer for its own handle is followed (the control).
        assert "pending" in site.cli("follow", "alice", f"admin@{host.domain}").stdout
    finally:
        host.shutdown()
        host.server_close()
