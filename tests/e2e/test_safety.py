"""Blocks, mutes, a member's blocked servers and reports (issue 25, part 3), between two
running instances over loopback and a peer under the test's control: what each server stores
and sends, read from its database and from what the peer received."""

from __future__ import annotations

import json
from types import SimpleNamespace

import httpx
import pytest
from mastodon import MastodonAPIError

from tests.api.test_posting_mastodon_py import sign_in_app
from tests.conftest import artwork
from tests.fake_peer import FakePeer
from tests.instances import wait_for, wait_handled
from tests.web_client import PASSWORD, form_token, signed_in

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture(scope="module")
def world(make_module_instance, tmp_path_factory):
    """alice (an admin) on A; bob, carol and dan (B's admin) on B. dan follows alice, who
    then posts a public work, so that B holds it."""
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in ((a, ("alice",)), (b, ("bob", "carol", "dan"))):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    a.cli("user", "admin", "alice")
    b.cli("user", "admin", "dan")
    assert "accepted" in b.cli("follow", "dan", f"alice@{a.domain}").stdout
    picture = tmp_path_factory.mktemp("art") / "work.jpg"
    picture.write_bytes(artwork(160, 120, seed=25))
    a.cli("post", "alice", "--image", str(picture), "--alt", "a heron", "--no-cloak")
    [(work,)] = a.query("SELECT uri FROM posts")
    wait_for(lambda: b.query("SELECT 1 FROM posts WHERE uri = ?", work), what="the work on B")
    return SimpleNamespace(a=a, b=b, work=work, alice=f"{a.base_url}/users/alice")


@pytest.fixture
def peer():
    server = FakePeer().start()
    yield server
    server.stop()


def follows(site) -> list[tuple[str, str, str]]:
    return site.query(
        "SELECT f.username, e.username, s.state FROM follows s JOIN actors f ON f.id = "
        "s.follower_id JOIN actors e ON e.id = s.followee_id ORDER BY 1, 2"
    )


def between(site, x: str, y: str) -> list[tuple]:
    return [f for f in follows(site) if {f[0], f[1]} == {x, y}]


def blocks(site) -> list[tuple[str, str]]:
    return site.query(
        "SELECT b.username, t.username FROM account_blocks k JOIN actors b ON b.id = "
        "k.blocker_id JOIN actors t ON t.id = k.target_id ORDER BY 1, 2"
    )


def test_a_block_ends_the_follows_both_ways_on_both_servers(world):
    a, b = world.a, world.b
    alice, bob = f"alice@{a.domain}", f"bob@{b.domain}"
    assert "accepted" in b.cli("follow", "bob", alice).stdout
    assert "accepted" in a.cli("follow", "alice", bob).stdout
    assert a.cli("block", "alice", bob).stdout.strip() == f"alice blocks {bob}"
    assert between(a, "alice", "bob") == [] and blocks(a) == [("alice", "bob")]
    # B is sent an Undo of alice's follow, a Reject of bob's, and the Block.
    wait_for(
        lambda: between(b, "alice", "bob") == [] and blocks(b) == [("alice", "bob")],
        what="B to drop both follows and record the block",
    )
    refused = b.cli("follow", "bob", alice, check=False)
    assert refused.returncode == 1 and "one of you blocks the other" in refused.stderr
    assert f"blocked   {bob}" in a.cli("blocks", "alice").stdout
    a.cli("block", "alice", bob)  # again: nothing more is sent
    assert a.query("SELECT count(*) FROM outbound_activities WHERE kind = 'Block'") == [(1,)]

    assert a.cli("unblock", "alice", bob).stdout.strip() == f"alice no longer blocks {bob}"
    wait_for(lambda: blocks(b) == [], what="B to take the Undo of the block")
    assert "accepted" in b.cli("follow", "bob", alice).stdout


def reply_to(peer: FakePeer, actor: str, world) -> dict:
    note_id = f"{actor}/notes/1"
    return {
        "id": peer.new_id(actor),
        "type": "Create",
        "actor": actor,
        "to": [PUBLIC, world.alice],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": actor,
            "content": "<p>@alice ugly</p>",
            "inReplyTo": world.work,
            "to": [PUBLIC, world.alice],
            "tag": [{"type": "Mention", "href": world.alice, "name": "@alice"}],
            "published": "2026-12-06T10:00:00Z",
        },
    }


def test_someone_blocked_cannot_follow_reply_like_boost_or_mention(world, peer):
    a = world.a
    troll = peer.add_actor("troll")
    a.cli("block", "alice", troll)
    [block] = wait_for(lambda: [r.body for r in peer.received if r.kind == "Block"])
    assert block["actor"] == world.alice and block["object"] == troll
    inbox = f"{a.base_url}/users/alice/inbox"
    follow = {"id": peer.new_id(troll), "type": "Follow", "actor": troll, "object": world.alice}
    sent = [
        follow,
        reply_to(peer, troll, world),
        {"id": peer.new_id(troll), "type": "Like", "actor": troll, "object": world.work},
        {
            "id": peer.new_id(troll),
            "type": "Announce",
            "actor": troll,
            "object": world.work,
            "to": [PUBLIC],
        },
    ]
    for activity in sent:
        assert peer.send(troll, inbox, activity).status_code == 202
    for activity in sent:
        wait_handled(a, activity["id"])
    [reject] = wait_for(lambda: [r.body for r in peer.received if r.kind == "Reject"])
    assert reject["object"]["id"] == follow["id"]
    assert [f for f in follows(a) if f[0] == "troll"] == []
    assert a.query("SELECT count(*) FROM posts WHERE uri = ?", f"{troll}/notes/1") == [(0,)]
    assert a.query(
        "SELECT count(*) FROM interactions i JOIN actors x ON x.id = i.actor_id WHERE x.uri = ?",
        troll,
    ) == [(0,)]
    assert a.query(
        "SELECT count(*) FROM notifications n JOIN actors x ON x.id = n.account_id WHERE x.uri = ?",
        troll,
    ) == [(0,)]
    # Nor read them: the work, the outbox and the pinned works answer 404 to its signed
    # fetches, and 200 to anyone else's.
    fan = peer.add_actor("fan")
    for url in (world.work, f"{world.alice}/outbox", f"{world.alice}/collections/featured"):
        assert peer.get(troll, url).status_code == 404, url
        assert peer.get(fan, url).status_code == 200, url
    # Someone else's Like is counted: the block is the reason, not the activity.
    like = {"id": peer.new_id(fan), "type": "Like", "actor": fan, "object": world.work}
    assert peer.send(fan, inbox, like).status_code == 202
    wait_handled(a, like["id"])
    assert a.query("SELECT count(*) FROM interactions WHERE activity_uri = ?", like["id"]) == [(1,)]
    # Lifted: the troll's server is told with an Undo of the same Block.
    a.cli("unblock", "alice", troll)
    [undo] = wait_for(lambda: [r.body for r in peer.received if r.kind == "Undo"])
    assert undo["object"]["id"] == block["id"] and undo["object"]["type"] == "Block"


def timeline_uris(site, name: str) -> list[str]:
    return [e["uri"] for e in site.timeline(name)]


def test_a_mute_hides_an_account_and_a_server_block_drops_its_followers(world, tmp_path):
    a, b = world.a, world.b
    carol = f"carol@{b.domain}"
    assert "accepted" in a.cli("follow", "alice", carol).stdout
    path = tmp_path / "sketch.jpg"
    path.write_bytes(artwork(120, 90, seed=26))
    b.cli("post", "carol", "--image", str(path), "--alt", "a quiet sketch", "--no-cloak")
    [(sketch,)] = b.query("SELECT uri FROM posts WHERE uri LIKE '%/users/carol/%'")
    wait_for(lambda: sketch in timeline_uris(a, "alice"), what="carol's work in alice's feed")
    web = signed_in(a, "alice")
    assert "a quiet sketch" in web.get("/home").text

    sent_before = a.query("SELECT count(*) FROM outbound_activities")
    assert a.cli("mute", "alice", carol).stdout.strip() == f"alice mutes {carol}"
    assert a.query("SELECT count(*) FROM outbound_activities") == sent_before  # nobody told
    assert sketch not in timeline_uris(a, "alice")
    assert "a quiet sketch" not in web.get("/home").text
    assert between(a, "alice", "carol") == [("alice", "carol", "accepted")]  # still follows
    a.cli("unmute", "alice", carol)
    assert sketch in timeline_uris(a, "alice")

    # A whole server: carol's follow of alice ends on both sides, and a new one is refused.
    assert "accepted" in b.cli("follow", "carol", f"alice@{a.domain}").stdout
    out = a.cli("block", "alice", b.domain, "--domain").stdout
    assert out.strip() == f"alice blocks the server {b.domain}"
    assert [f for f in follows(a) if f[:2] == ("carol", "alice")] == []
    assert sketch not in timeline_uris(a, "alice")  # her server is hidden from alice's feed
    wait_for(
        lambda: [f for f in follows(b) if f[:2] == ("carol", "alice")] == [],
        what="B to take the Reject of carol's follow",
    )
    again = b.cli("follow", "carol", f"alice@{a.domain}", "--wait", "20")
    assert again.stdout.strip().endswith("rejected")
    a.cli("unblock", "alice", b.domain, "--domain")
    assert sketch in timeline_uris(a, "alice")


def test_a_report_there_is_forwarded_here_without_the_reporters_name(world):
    a, b = world.a, world.b
    filed = b.cli(
        "report", "file", "dan", f"alice@{a.domain}", "--post", world.work,
        "--comment", "traced from my drawing",
    ).stdout  # fmt: skip
    assert filed.startswith("report #") and f"about alice@{a.domain}" in filed
    dan = signed_in(b, "dan")
    queue = dan.get("/admin/reports")
    assert queue.status_code == 200 and "traced from my drawing" in queue.text
    assert '<a href="/admin/reports" aria-current="page">Reports (1 open)</a>' in queue.text
    [(report_id,)] = b.query("SELECT id FROM reports")
    action = f"/admin/reports/{report_id}/forward"
    sent = dan.post(action, data={"csrf": form_token(queue.text, action)})
    assert sent.status_code == 303
    again = b.cli("report", "forward", str(report_id), check=False)
    assert again.returncode == 1 and "forwarded already" in again.stderr
    b.cli("report", "resolve", str(report_id), "--note", "passed on to their admins")
    shown = b.cli("report", "show", str(report_id)).stdout
    assert "resolved, forwarded" in shown and "resolution:  passed on to their admins" in shown
    assert b.cli("report", "list").stdout.strip() == "no open reports"
    told = dan.get("/notifications").text
    assert f"The admins resolved your report about @alice@{a.domain}." in told

    [(origin, account, posts, comment, flag_uri)] = wait_for(
        lambda: a.query(
            "SELECT r.origin, x.username, r.post_uris, r.comment, r.flag_uri "
            "FROM reports r JOIN actors x ON x.id = r.account_id"
        ),
        what="the Flag to reach A",
    )
    assert (origin, account, json.loads(posts), comment) == (
        "remote", "alice", [world.work], "traced from my drawing",
    )  # fmt: skip
    [(body,)] = a.query("SELECT body FROM inbound_activities WHERE uri = ?", flag_uri)
    flag = json.loads(body)
    assert flag["actor"] == f"{b.base_url}/actor" and "dan" not in body
    listed = a.cli("report", "list").stdout
    assert f"about alice@{a.domain}" in listed and f"from {b.domain} (Flag)" in listed

    admin = signed_in(a, "alice")
    queue = admin.get("/admin/reports")
    assert "traced from my drawing" in queue.text
    assert "Forward to" not in queue.text  # a peer's report is not sent back
    [(here_id,)] = a.query("SELECT id FROM reports")
    action = f"/admin/reports/{here_id}/resolve"
    done = admin.post(action, data={"csrf": form_token(queue.text, action), "note": "spoke to"})
    assert done.status_code == 303
    assert a.query("SELECT state, resolution FROM reports") == [("resolved", "spoke to")]
    assert "No reports are open." in admin.get("/admin/reports").text
    member = signed_in(b, "carol").get("/admin/reports")
    assert member.status_code == 403


def test_bad_flags_and_blocks_are_refused_or_change_nothing(world, peer):
    a = world.a
    inbox = f"{a.base_url}/inbox"
    mallory, other = peer.add_actor("mallory"), peer.add_actor("other")
    reports_before = a.query("SELECT count(*) FROM reports")

    def flag(content: str = "spam", objects=None, flag_id=None) -> dict:
        return {
            "id": flag_id or peer.new_id(mallory),
            "type": "Flag",
            "actor": mallory,
            "object": objects or [world.alice, world.work],
            "content": content,
        }

    unknown = flag(objects=[f"{a.base_url}/users/nobody", f"{peer.origin}/elsewhere"])
    assert peer.send(mallory, inbox, unknown).status_code == 202
    wait_handled(a, unknown["id"])
    assert a.query("SELECT count(*) FROM reports") == reports_before

    huge = peer.send(mallory, inbox, flag("x" * 10_000_000))
    assert huge.status_code == 413
    for objects in (["javascript:alert(1)"], [world.alice] * 101):
        bad = peer.send(mallory, inbox, flag(objects=objects))
        assert bad.status_code == 400 and "Flag" in bad.text
    long = flag("y" * 600_000)
    assert peer.send(mallory, inbox, long).status_code == 202
    assert "already received" in peer.send(mallory, inbox, long).text
    wait_handled(a, long["id"])
    [(comment,)] = a.query("SELECT comment FROM reports WHERE flag_uri = ?", long["id"])
    assert len(comment) == 5_000 and comment.startswith("yyy")

    forged = {"id": peer.new_id(mallory), "type": "Block", "actor": other, "object": world.alice}
    refused = peer.send(mallory, inbox, forged)
    assert refused.status_code == 403 and "signed by" in refused.text

    first = {"id": peer.new_id(mallory), "type": "Block", "actor": mallory, "object": world.alice}
    second = {**first, "id": peer.new_id(mallory)}
    for activity in (first, first, second):
        assert peer.send(mallory, inbox, activity).status_code == 202
    wait_handled(a, second["id"])
    assert a.query(
        "SELECT activity_uri FROM account_blocks k JOIN actors x ON x.id = k.blocker_id "
        "WHERE x.uri = ?",
        mallory,
    ) == [(second["id"],)]
    # Only the blocker can lift it.
    undo = {"id": peer.new_id(other), "type": "Undo", "actor": other, "object": second}
    assert peer.send(other, inbox, undo).status_code == 202
    wait_handled(a, undo["id"])
    assert ("mallory", "alice") in blocks(a)
    undo = {"id": peer.new_id(mallory), "type": "Undo", "actor": mallory, "object": second}
    assert peer.send(mallory, inbox, undo).status_code == 202
    wait_handled(a, undo["id"])
    assert ("mallory", "alice") not in blocks(a)


def test_blocks_mutes_server_blocks_and_reports_from_an_app(world):
    a, b = world.a, world.b
    assert "accepted" in b.cli("follow", "bob", f"alice@{a.domain}").stdout
    app = sign_in_app(a, "alice")
    [bob] = app.search_v2(f"bob@{b.domain}", resolve=True)["accounts"]

    def from_bob() -> list[str]:
        return [n["type"] for n in app.notifications() if n["account"]["id"] == bob["id"]]

    assert from_bob() == ["follow"]
    muted = app.account_mute(bob["id"])
    assert (muted["muting"], muted["muting_notifications"]) == (True, True)
    assert from_bob() == []  # hidden, not deleted: they come back with the unmute
    app.account_unmute(bob["id"])
    assert from_bob() == ["follow"]

    assert app.account_block(bob["id"])["blocking"] is True
    assert [x["acct"] for x in app.blocks()] == [f"bob@{b.domain}"]
    assert app.account_relationships(bob["id"])[0]["blocking"] is True
    assert app.account_unblock(bob["id"])["blocking"] is False
    assert app.blocks() == []
    muted = app.account_mute(bob["id"], notifications=False)
    assert (muted["muting"], muted["muting_notifications"]) == (True, False)
    assert [x["acct"] for x in app.mutes()] == [f"bob@{b.domain}"]
    assert app.account_unmute(bob["id"])["muting"] is False
    app.domain_block("spam.example")
    assert app.domain_blocks() == ["spam.example"]
    assert app.account_relationships(bob["id"])[0]["domain_blocking"] is False
    app.domain_unblock("spam.example")
    assert app.domain_blocks() == []

    report = app.report(bob["id"], comment="spam in my replies")
    assert report["target_account"]["id"] == bob["id"]
    assert a.query(
        "SELECT r.origin, x.username, r.comment FROM reports r "
        "JOIN actors x ON x.id = r.account_id WHERE r.id = ?",
        int(report["id"]),
    ) == [("local", "bob", "spam in my replies")]
    with pytest.raises(MastodonAPIError) as refused:
        app.report(bob["id"], comment="z" * 1_001)
    assert "1001 characters" in str(refused.value)
    with pytest.raises(MastodonAPIError):
        app.account_block(app.me()["id"])  # not yourself


def test_the_web_blocks_mutes_and_reports(world):
    a, b = world.a, world.b
    web = signed_in(a, "alice")
    settings = web.get("/settings/safety")
    assert settings.status_code == 200 and "You block no one." in settings.text
    token = form_token(settings.text, "/settings/safety")
    bob = f"bob@{b.domain}"
    for action in ("block", "mute"):
        done = web.post("/settings/safety", data={"csrf": token, "account": bob, "action": action})
        assert done.status_code == 303
    page = web.get("/settings/safety").text
    assert page.count(f"<li>@{bob}") == 2 and "You block no one." not in page
    own = web.post("/settings/safety", data={"csrf": token, "account": "alice", "action": "block"})
    assert own.status_code == 400 and "yourself" in own.text
    mine = web.post(
        "/settings/safety", data={"csrf": token, "account": a.domain, "action": "block_domain"}
    )
    assert mine.status_code == 400 and "your own server" in mine.text
    assert ("alice", "bob") in blocks(a)
    assert a.query("SELECT count(*) FROM account_mutes") == [(1,)]
    for action in ("unblock", "unmute"):
        web.post("/settings/safety", data={"csrf": token, "account": bob, "action": action})
    assert ("alice", "bob") not in blocks(a)
    assert a.query("SELECT count(*) FROM account_mutes") == [(0,)]

    # A report from a post in the feed: carol's work, which alice's feed shows.
    [(sketch,)] = a.query("SELECT uri FROM posts WHERE uri LIKE '%/users/carol/%'")
    home = web.get("/home").text
    assert "/report?post=" in home
    form = web.get("/report", params={"post": sketch})
    assert form.status_code == 200 and f"@carol@{b.domain}" in form.text
    sent = web.post(
        "/report",
        data={"csrf": form_token(form.text, "/report"), "post": sketch, "comment": "not theirs"},
    )
    assert sent.status_code == 303
    [(posts,)] = a.query("SELECT post_uris FROM reports WHERE comment = 'not theirs'")
    assert json.loads(posts) == [sketch]
    assert web.get("/report", params={"account": "https://nowhere.example/u"}).status_code == 404
    stranger = httpx.get(f"{a.base_url}/settings/safety")
    assert stranger.status_code == 303 and "/login" in stranger.headers["location"]


def test_the_notifications_page_hides_the_muted_and_shares_its_marker_with_apps(world):
    a, b = world.a, world.b
    web = signed_in(a, "alice")
    page = web.get("/notifications").text
    dan = f"{b.base_url}/@dan"  # his profile page, as his actor gives it
    assert f'<a href="{dan}">dan</a> followed you.' in page  # from the module's setup
    assert "<strong>New:</strong>" in page
    a.cli("mute", "alice", f"dan@{b.domain}")
    assert f'<a href="{dan}">dan</a> followed you.' not in web.get("/notifications").text
    a.cli("unmute", "alice", f"dan@{b.domain}")
    assert f'<a href="{dan}">dan</a> followed you.' in web.get("/notifications").text

    # Read in an app: the web's count goes too (one marker), and never moves backwards.
    app = sign_in_app(a, "alice")
    newest = app.notifications(limit=1)[0]["id"]
    assert app.markers_get(["notifications"]) == {}
    app.markers_set(["notifications"], [newest])
    marker = app.markers_get(["notifications"])["notifications"]
    assert str(marker["last_read_id"]) == str(newest) and marker["version"] == 1
    page = web.get("/notifications").text
    assert "New:" not in page
    assert 'href="/notifications" aria-current="page">Notifications</a>' in page
    app.markers_set(["notifications"], [1])
    assert str(app.markers_get(["notifications"])["notifications"]["last_read_id"]) == str(newest)
