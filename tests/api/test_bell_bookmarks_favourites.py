"""The member's own lists and the notifications apps show beside mentions, driven by
Mastodon.py between two servers: the bell on a follow (`notify`) tells of each new work
(`status`); an edit of a boosted work tells its boosters (`update`), here and elsewhere;
favourites and bookmarks are the member's lists, newest first."""

from __future__ import annotations

import pytest

from tests.api.servers import two_servers
from tests.api.test_boosts_and_fetched_posts import post_work
from tests.api.test_posting_mastodon_py import sign_in_app
from tests.instances import wait_for


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """alice and carol on A; bob on B."""
    return two_servers(make_module_instance, ("alice", "carol"), ("bob",))


def told(app, kind: str, uri: str) -> list:
    return [n for n in app.notifications(types=[kind]) if n["status"]["uri"] == uri]


def test_the_bell_tells_of_new_works_and_an_edit_tells_the_boosters(pair):
    a, b = pair
    alice, carol, bob = sign_in_app(a, "alice"), sign_in_app(a, "carol"), sign_in_app(b, "bob")
    [there] = bob.search_v2(f"alice@{a.domain}", resolve=True)["accounts"]
    relationship = bob.account_follow(there["id"], notify=True)
    assert relationship["notifying"] is True
    wait_for(lambda: bob.account_relationships(there["id"])[0]["following"], what="bob following")
    here = carol.account_lookup("alice")
    assert carol.account_follow(here["id"])["notifying"] is False

    work = post_work(alice, "moth on lichen", seed=81)
    [bell] = wait_for(lambda: told(bob, "status", work["uri"]), what="bob told of the work")
    assert bell["account"]["acct"] == f"alice@{a.domain}"
    assert told(carol, "status", work["uri"]) == []  # she follows without the bell

    [seen] = wait_for(lambda: bob.timeline_home(), what="the work on B")
    bob.status_reblog(seen["id"])
    carol.status_reblog(work["id"])
    wait_for(lambda: alice.status(work["id"])["reblogs_count"] == 2, what="both boosts on A")
    alice.status_update(work["id"], "moth on lichen, second state")
    wait_for(lambda: told(carol, "update", work["uri"]), what="carol told of the edit")
    wait_for(lambda: told(bob, "update", work["uri"]), what="bob told of the edit on B")

    # Ringing it off: the next work tells no one.
    assert bob.account_follow(there["id"], notify=False)["notifying"] is False
    quiet = post_work(alice, "second moth", seed=82)
    wait_for(
        lambda: any(s["uri"] == quiet["uri"] for s in bob.timeline_home()),
        what="the second work on B",
    )
    assert told(bob, "status", quiet["uri"]) == []


def test_favourites_and_bookmarks_are_the_members_lists_newest_first(pair):
    a, _ = pair
    alice, carol = sign_in_app(a, "alice"), sign_in_app(a, "carol")
    first = post_work(alice, "first plate", seed=91)
    second = post_work(alice, "second plate", seed=92)
    carol.status_favourite(first["id"])
    carol.status_favourite(second["id"])
    assert [s["id"] for s in carol.favourites()][:2] == [second["id"], first["id"]]
    assert [s["id"] for s in carol.favourites(limit=1)] == [second["id"]]

    assert carol.bookmarks() == []
    marked = carol.status_bookmark(first["id"])
    assert marked["bookmarked"] is True
    assert alice.status(first["id"])["bookmarked"] is False  # hers alone
    carol.status_bookmark(second["id"])
    assert [s["id"] for s in carol.bookmarks()] == [second["id"], first["id"]]
    assert carol.status_unbookmark(second["id"])["bookmarked"] is False
    assert [s["id"] for s in carol.bookmarks()] == [first["id"]]
    # A bookmark goes with the post.
    alice.status_delete(first["id"])
    assert carol.bookmarks() == []
