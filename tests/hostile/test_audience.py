"""Likes and boosts only from a work's audience (issue 23, item 1), against a running
instance: an attacker's server sends them signed; the database says what was counted."""

from __future__ import annotations

import pytest

from tests.conftest import artwork
from tests.instances import wait_for

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    a = make_module_instance("a")
    a.cli("user", "add", "alice")
    picture = tmp_path_factory.mktemp("art") / "work.jpg"
    picture.write_bytes(artwork(120, 90, seed=61))
    for visibility in ("followers", "public"):
        a.cli(
            "post", "alice", "--image", str(picture), "--alt", visibility,
            "--visibility", visibility, "--no-cloak",
        )  # fmt: skip
    return a


def works(site) -> dict[str, str]:
    return dict(site.query("SELECT visibility, uri FROM posts"))


def counted(site, uri: str) -> list[tuple]:
    return site.query(
        "SELECT a.username, i.kind FROM interactions i JOIN actors a ON a.id = i.actor_id "
        "WHERE i.object_uri = ? ORDER BY a.username, i.kind",
        uri,
    )


def send(site, attacker, actor: str, kind: str, uri: str, n: int) -> None:
    activity = {"id": f"{actor}#{kind}-{n}", "type": kind, "object": uri, "to": [PUBLIC]}
    response = attacker.post(f"{site.base_url}/users/alice/inbox", actor, activity)
    assert response.status_code == 202, response.text


def handled(site) -> bool:
    return site.query("SELECT count(*) FROM inbound_activities WHERE state = 'pending'") == [(0,)]


def test_likes_and_boosts_count_only_from_the_works_audience(site, attacker):
    followers_only, public = works(site)["followers"], works(site)["public"]
    stranger, fan = attacker.actor("stranger"), attacker.actor("fan")
    follow = {"id": f"{fan}#follow", "type": "Follow", "object": f"{site.base_url}/users/alice"}
    assert attacker.post(f"{site.base_url}/users/alice/inbox", fan, follow).status_code == 202
    wait_for(
        lambda: site.query("SELECT state FROM follows") == [("accepted",)], what="fan's follow"
    )
    for n, (actor, kind, uri) in enumerate(
        [
            (stranger, "Like", followers_only),  # not a follower: may not see it
            (stranger, "Announce", followers_only),
            (fan, "Like", followers_only),  # a follower: may like it...
            (fan, "Announce", followers_only),  # ...but not boost it to others
            (stranger, "Like", public),
            (stranger, "Announce", public),
        ]
    ):
        send(site, attacker, actor, kind, uri, n)
    wait_for(lambda: handled(site), what="the activities to be handled")
    assert counted(site, followers_only) == [("fan", "Like")]
    assert counted(site, public) == [("stranger", "Announce"), ("stranger", "Like")]
