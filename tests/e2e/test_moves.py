"""Account migration (issue 25, part 2) between two running instances, in both directions,
and against a peer under the test's control: aliases, a member moving away with their
followers, a peer's Move believed only when its target names the mover, and never twice."""

from __future__ import annotations

import httpx
import pytest

from cara_fed.services.relations_csv import KINDS
from tests.api.test_posting_mastodon_py import sign_in_app
from tests.fake_peer import FakePeer
from tests.instances import wait_for, wait_handled
from tests.web_client import PASSWORD, form_token, signed_in

AS = {"Accept": "application/activity+json"}


@pytest.fixture(scope="module")
def two(make_module_instance):
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in (
        (a, ("alice", "carl", "dora", "erin", "fay", "gus", "hal")),
        (b, ("bea", "bob", "carol")),
    ):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return a, b


def follows(site) -> set[tuple[str, str, str]]:
    return set(
        site.query(
            "SELECT f.username, e.username, s.state FROM follows s JOIN actors f ON f.id = "
            "s.follower_id JOIN actors e ON e.id = s.followee_id"
        )
    )


def told_moved(site, name: str) -> list[tuple[str]]:
    return site.query(
        "SELECT x.username FROM notifications n JOIN actors r ON r.id = n.recipient_id "
        "JOIN actors x ON x.id = n.account_id WHERE n.kind = 'moved' AND r.username = ?",
        name,
    )


def test_an_artist_moves_to_another_server_with_their_followers(two):
    a, b = two
    alice, bea = f"alice@{a.domain}", f"bea@{b.domain}"
    assert "accepted" in b.cli("follow", "bob", alice).stdout
    assert "accepted" in a.cli("follow", "carl", "alice").stdout
    refused = a.cli("user", "move", "alice", bea, check=False)
    assert refused.returncode == 1 and "does not list" in refused.stderr
    assert a.query("SELECT moved_to FROM actors WHERE username = 'alice'") == [(None,)]

    assert b.cli("user", "alias", "bea", alice).stdout.strip() == f"{alice} may now move to bea"
    document = httpx.get(f"{b.base_url}/users/bea", headers=AS).json()
    assert document["alsoKnownAs"] == [f"{a.base_url}/users/alice"]
    out = a.cli("user", "move", "alice", bea).stdout
    assert out.strip() == f"alice moved to {bea}; their followers are told"
    moved = httpx.get(f"{a.base_url}/users/alice", headers=AS).json()
    assert moved["movedTo"] == f"{b.base_url}/users/bea"
    assert "has moved to" in httpx.get(f"{a.base_url}/@alice").text
    [(alice_id,)] = a.query("SELECT id FROM actors WHERE username = 'alice' AND local = 1")
    account = sign_in_app(a, "carl").account(int(alice_id))  # Mastodon.py, as an app reads it
    assert account["moved"]["acct"] == bea

    # carl, here, follows bea at once; bob, on B, after B believes the Move.
    wait_for(
        lambda: (
            ("carl", "bea", "accepted") in follows(a)
            and not {f for f in follows(a) if f[1] == "alice"}
        ),
        what="carl to follow bea, and nobody to follow alice here",
    )
    wait_for(
        lambda: (
            ("bob", "bea", "accepted") in follows(b)
            and not {f for f in follows(b) if f[1] == "alice"}
        ),
        what="bob to follow bea on B",
    )
    assert told_moved(a, "carl") == [("alice",)] and told_moved(b, "bob") == [("alice",)]
    page = signed_in(b, "bob").get("/notifications").text
    assert "moved to <a href=" in page and "you follow them there now" in page
    again = a.cli("user", "move", "alice", bea, check=False)
    assert again.returncode == 1 and "has moved already" in again.stderr


def test_an_artist_moves_here_from_the_other_server(two):
    """The other direction: carol on B moves to dora here; erin here follows dora at once."""
    a, b = two
    carol, dora = f"carol@{b.domain}", f"dora@{a.domain}"
    assert "accepted" in a.cli("follow", "erin", carol).stdout
    web = signed_in(a, "dora")
    page = web.get("/settings/move").text
    added = web.post(
        "/settings/move",
        data={"csrf": form_token(page, "/settings/move"), "account": carol, "action": "alias"},
    )
    assert added.status_code == 303
    assert carol in a.cli("user", "aliases", "dora").stdout
    b.cli("user", "move", "carol", dora)
    wait_for(
        lambda: (
            ("erin", "dora", "accepted") in follows(a)
            and ("erin", "carol", "accepted") not in follows(a)
        ),
        what="erin to follow dora instead of carol",
    )
    wait_for(lambda: not {f for f in follows(b) if f[0] == "erin"}, what="B to drop erin")
    assert told_moved(a, "erin") == [("carol",)]
    assert a.query("SELECT moved_to FROM actors WHERE username = 'carol'") == [
        (f"{a.base_url}/users/dora",)
    ]


def test_a_move_is_believed_only_from_the_mover_to_an_account_that_names_it(two):
    a, _ = two
    peer = FakePeer().start()
    try:
        mover, fake, other = (peer.add_actor(n) for n in ("mover", "fake", "other"))
        newhome = peer.add_actor("newhome")
        peer.document(newhome.removeprefix(peer.origin))["alsoKnownAs"] = [mover]
        a.cli("follow", "fay", mover, check=False)
        [follow] = wait_for(lambda: [r.body for r in peer.received if r.kind == "Follow"])
        accept = {"id": peer.new_id(mover), "type": "Accept", "actor": mover, "object": follow}
        assert peer.send(mover, f"{a.base_url}/inbox", accept).status_code == 202
        wait_for(lambda: ("fay", "mover", "accepted") in follows(a), what="fay following")

        def move(actor: str, target: str, obj: str | None = None) -> dict:
            activity = {
                "id": peer.new_id(actor), "type": "Move", "actor": actor,
                "object": obj or actor, "target": target,
            }  # fmt: skip
            assert peer.send(actor, f"{a.base_url}/inbox", activity).status_code == 202
            wait_handled(a, activity["id"])
            return activity

        move(mover, fake)  # the target does not name the mover
        move(other, newhome, obj=mover)  # someone else moving the mover
        assert ("fay", "mover", "accepted") in follows(a)
        assert a.query("SELECT moved_to FROM actors WHERE uri = ?", mover) == [(None,)]

        done = move(mover, newhome)
        assert ("fay", "newhome", "pending") in follows(a)
        assert ("fay", "mover", "accepted") not in follows(a)
        [undo] = wait_for(lambda: [r.body for r in peer.received if r.kind == "Undo"])
        assert undo["object"]["id"] == follow["id"]
        follows_sent = wait_for(lambda: [r for r in peer.received if r.kind == "Follow"][1:])
        assert [r.body["object"] for r in follows_sent] == [newhome]
        # Told again, by replay or by a new Move: nothing more happens.
        replay = peer.send(mover, f"{a.base_url}/inbox", done)
        assert "already received" in replay.text
        move(mover, newhome)
        assert len([r for r in peer.received if r.kind == "Follow"]) == 2
        assert told_moved(a, "fay") == [("mover",)]
    finally:
        peer.stop()


def test_follows_blocks_mutes_and_servers_round_trip_through_mastodons_csv(two, tmp_path):
    a, b = two
    bob, bea, carol = (f"{n}@{b.domain}" for n in ("bob", "bea", "carol"))
    # A following list as Mastodon writes it (header, bell on), with one row that fails.
    mastodon = tmp_path / "following_accounts.csv"
    mastodon.write_text(
        "Account address,Show boosts,Notify on new posts,Languages\n"
        f"{bea},true,true,\nnobody@{b.domain},true,false,\n"
    )
    out = a.cli("csv", "import", "gus", "following", str(mastodon))
    assert out.stdout.strip() == "following: 1 imported, 1 not"
    assert f"not imported: nobody@{b.domain}: cannot find" in out.stderr
    wait_for(lambda: ("gus", "bea", "accepted") in follows(a), what="gus following bea")
    assert a.cli("csv", "export", "gus", "following").stdout == (
        f"Account address,Show boosts,Notify on new posts,Languages\n{bea},true,true,\n"
    )
    a.cli("block", "gus", bob)
    a.cli("mute", "gus", carol, "--keep-notifications")
    a.cli("block", "gus", "spam.example", "--domain")
    exported = {kind: a.cli("csv", "export", "gus", kind).stdout for kind in KINDS}
    assert exported["blocks"] == f"{bob}\n"
    assert exported["mutes"] == f"Account address,Hide notifications\n{carol},false\n"
    assert exported["domain_blocks"] == "spam.example\n"

    # hal imports gus's four files on the web, and has the same lists.
    web = signed_in(a, "hal")
    for kind, text in exported.items():
        page = web.get("/settings/move").text
        done = web.post(
            "/settings/import",
            data={"csrf": form_token(page, "/settings/import"), "kind": kind},
            files={"file": (f"{kind}.csv", text.encode(), "text/csv")},
        )
        assert done.status_code == 200 and "Imported 1" in done.text, (kind, done.text[-400:])
    wait_for(lambda: ("hal", "bea", "accepted") in follows(a), what="hal following bea")
    for kind, text in exported.items():
        download = web.get(f"/settings/export/{kind}")
        assert download.status_code == 200 and download.text == text, kind
        assert download.headers["content-type"].startswith("text/csv")

    page = web.get("/settings/move").text
    refused = web.post(
        "/settings/import",
        data={"csrf": form_token(page, "/settings/import"), "kind": "blocks"},
        files={"file": ("x.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert refused.status_code == 400 and "not UTF-8" in refused.text
    too_many = tmp_path / "many.csv"
    too_many.write_text("".join(f"x{n}.example\n" for n in range(2_001)))
    many = a.cli("csv", "import", "hal", "domain_blocks", str(too_many), check=False)
    assert many.returncode == 1 and "at most 2000" in many.stderr
    assert a.cli("csv", "export", "hal", "domain_blocks").stdout == "spam.example\n"


def test_the_instance_actor_has_a_name_every_server_parses(two):
    """No port in its preferredUsername (GoToSocial cannot parse `host:port@host:port`), and
    WebFinger finds it by that name."""
    a, _ = two
    actor = httpx.get(f"{a.base_url}/actor", headers=AS).json()
    assert actor["preferredUsername"] == "127.0.0.1"
    found = httpx.get(
        f"{a.base_url}/.well-known/webfinger", params={"resource": f"acct:127.0.0.1@{a.domain}"}
    ).json()
    assert [link["href"] for link in found["links"] if link["rel"] == "self"] == [actor["id"]]


def test_a_sender_whose_key_cannot_be_fetched_now_is_asked_to_retry(two):
    """Its server does not answer (here: it is gone): 503 with Retry-After, which Mastodon
    and GoToSocial retry, not 401, which they do not; nothing is stored."""
    a, _ = two
    peer = FakePeer().start()
    ghost = peer.add_actor("ghost")
    peer.stop()
    follow = {
        "id": peer.new_id(ghost),
        "type": "Follow",
        "actor": ghost,
        "object": f"{a.base_url}/users/fay",
    }
    response = peer.send(ghost, f"{a.base_url}/inbox", follow)
    assert response.status_code == 503 and response.headers["retry-after"] == "60"
    assert "try again later" in response.text
    assert a.query("SELECT count(*) FROM inbound_activities WHERE uri = ?", follow["id"]) == [(0,)]
