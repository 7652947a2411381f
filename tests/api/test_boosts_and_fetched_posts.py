"""Boosts in apps, between two servers, driven by Mastodon.py: a boost by someone a member
follows reaches the member's home timeline as Mastodon's reblog status, with the boosted
post fetched from its own server (and screened) when this server did not have it; a post
found by its address with `resolve` is fetched the same way; deleting one's boost takes back
the boost, never the post."""

from __future__ import annotations

import io

import httpx
import pytest
from mastodon import MastodonNotFoundError

from tests.api.servers import two_servers
from tests.api.test_posting_mastodon_py import sign_in_app, wait_ready
from tests.conftest import artwork
from tests.instances import wait_for


def post_work(app, text: str, seed: int) -> dict:
    media = app.media_post(
        io.BytesIO(artwork(200, 160, seed=seed)), mime_type="image/jpeg", description=text
    )
    return app.status_post(text, media_ids=[wait_ready(app, media)])


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """alice and dave on A; bob on B follows dave, and nobody on B follows alice."""
    a, b = two_servers(make_module_instance, ("alice", "dave"), ("bob",))
    assert "accepted" in b.cli("follow", "bob", f"dave@{a.domain}").stdout
    return a, b


def test_a_boost_of_a_post_the_server_lacks_reaches_a_follower_as_a_reblog(pair):
    a, b = pair
    alice, dave, bob = sign_in_app(a, "alice"), sign_in_app(a, "dave"), sign_in_app(b, "bob")
    work = post_work(alice, "salt marsh in gouache", seed=31)
    assert b.query("SELECT count(*) FROM posts") == [(0,)]

    boost = dave.status_reblog(work["id"])
    # Mastodon answers a boost with the new boost status, the boosted one inside it.
    assert boost["id"] != work["id"] and boost["reblog"]["id"] == work["id"]
    assert boost["account"]["username"] == "dave" and boost["content"] == ""

    seen = wait_for(lambda: bob.timeline_home(), what="dave's boost in bob's home timeline")
    [entry] = seen
    assert entry["account"]["acct"] == f"dave@{a.domain}"
    original = entry["reblog"]
    assert original["account"]["acct"] == f"alice@{a.domain}"
    assert original["uri"] == work["uri"]
    assert [m["description"] for m in original["media_attachments"]] == ["salt marsh in gouache"]
    image = httpx.get(original["media_attachments"][0]["url"])
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    # B fetched alice's post and screened it like any that arrives: the evidence says so.
    [(verdict, evidence)] = b.query(
        "SELECT m.screening_verdict, m.screening_evidence FROM media_attachments m"
        " JOIN posts p ON p.id = m.post_id WHERE p.uri = ?",
        work["uri"],
    )
    assert verdict == "accept" and "signal" in evidence
    # The boost has a status of its own; acting on it acts on the boosted post.
    assert bob.status(entry["id"])["reblog"]["id"] == original["id"]
    assert bob.status_favourite(original["id"])["favourited"] is True
    wait_for(
        lambda: alice.status(work["id"])["favourites_count"] == 1,
        what="bob's favourite on alice's server",
    )

    # Dave's profile lists his boost, except when the app asks for no boosts.
    dave_on_a = alice.account_lookup("dave")
    listed = alice.account_statuses(dave_on_a["id"])
    assert [s["reblog"]["id"] for s in listed] == [work["id"]]
    assert alice.account_statuses(dave_on_a["id"], exclude_reblogs=True) == []

    # Deleting the boost takes the boost back; alice's work stays.
    deleted = dave.status_delete(boost["id"])
    assert deleted["reblog"]["id"] == work["id"]
    assert alice.status(work["id"])["reblogs_count"] == 0
    with pytest.raises(MastodonNotFoundError):
        dave.status(boost["id"])
    wait_for(lambda: bob.timeline_home() == [], what="the boost gone from bob's home timeline")


def test_paging_mixes_posts_and_boosts_in_time_order(pair):
    a, _ = pair
    dave = sign_in_app(a, "dave")
    alice = sign_in_app(a, "alice")
    mine = post_work(dave, "dave's own sketch", seed=41)
    theirs = post_work(alice, "alice's second work", seed=42)
    boost = dave.status_reblog(theirs["id"])
    later = post_work(dave, "dave's later sketch", seed=43)
    home = dave.timeline_home(limit=40)
    expected = [later["id"], boost["id"], mine["id"]]
    assert [s["id"] for s in home if s["id"] in expected] == expected
    # Mastodon's paging reads the same stream: one at a time backwards, then forwards.
    first = dave.timeline_home(limit=1)
    second = dave.timeline_home(limit=1, max_id=first[0]["id"])
    assert [first[0]["id"], second[0]["id"]] == expected[:2]
    forward = dave.timeline_home(limit=2, min_id=mine["id"])
    assert [s["id"] for s in forward] == [later["id"], boost["id"]]


def test_a_post_found_by_its_address_is_fetched_only_when_resolve_is_asked(pair):
    a, b = pair
    alice, bob = sign_in_app(a, "alice"), sign_in_app(b, "bob")
    work = post_work(alice, "heron at dusk", seed=51)
    assert bob.search_v2(work["url"], resolve=False)["statuses"] == []
    assert b.query("SELECT count(*) FROM posts WHERE uri = ?", work["uri"]) == [(0,)]
    # By its page address (not its id): read again from the id it answers with.
    [found] = bob.search_v2(work["url"], resolve=True)["statuses"]
    assert found["uri"] == work["uri"] and found["account"]["acct"] == f"alice@{a.domain}"
    assert [m["description"] for m in found["media_attachments"]] == ["heron at dusk"]
    # Found, bob can act on it from his app.
    assert bob.status_reblog(found["id"])["reblog"]["id"] == found["id"]
    # An address with nothing there finds nothing, and says so with an empty list.
    missing = f"{a.base_url}/users/alice/statuses/1"
    assert bob.search_v2(missing, resolve=True)["statuses"] == []
