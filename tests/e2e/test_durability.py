"""Deliveries survive a `kill -9` of the sender: after restart every follower gets the post,
and gets it once."""

from __future__ import annotations

from tests.conftest import artwork
from tests.instances import wait_for


def test_kill_9_with_pending_deliveries_then_every_follower_gets_the_post_once(
    make_instance, tmp_path
):
    sender = make_instance("sender")
    followers = [make_instance("f1"), make_instance("f2")]
    sender.cli("user", "add", "bob")
    for i, follower in enumerate(followers):
        follower.cli("user", "add", f"fan{i}")
        assert "accepted" in follower.cli("follow", f"fan{i}", f"bob@{sender.domain}").stdout

    # The followers go away, so the deliveries cannot be made and stay pending.
    for follower in followers:
        follower.stop()
    picture = tmp_path / "work.png"
    picture.write_bytes(artwork(200, 150, seed=3, fmt="PNG"))
    sender.cli("post", "bob", "--image", str(picture), "--alt", "Ink on paper")
    wait_for(
        lambda: (
            sender.query(
                "SELECT count(*) FROM deliveries d JOIN outbound_activities o "
                "ON d.activity_id = o.id WHERE o.kind = 'Create' AND d.attempts >= 1 "
                "AND d.state = 'pending'"
            )[0][0]
            == 2
        ),
        what="both deliveries to fail once",
    )
    sender.kill9()

    for follower in followers:
        follower.start()
    sender.start()

    for i, follower in enumerate(followers):
        [entry] = wait_for(lambda f=follower, i=i: f.timeline(f"fan{i}"), what="the post")
        assert entry["media"][0]["alt"] == "Ink on paper"
        assert follower.query("SELECT count(*) FROM posts WHERE uri = ?", entry["uri"]) == [(1,)]
        assert follower.query("SELECT count(*) FROM inbound_activities WHERE kind = 'Create'") == [
            (1,)
        ]
    states = sender.query(
        "SELECT d.state, count(*) FROM deliveries d JOIN outbound_activities o "
        "ON d.activity_id = o.id WHERE o.kind = 'Create' GROUP BY d.state"
    )
    assert states == [("done", 2)]
