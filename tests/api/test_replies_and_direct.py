"""Conversation from apps, between two servers, driven by Mastodon.py: a follower answers a
work with text alone (a work has images; a comment need not), the artist is told and sees
the answer under the work; the artist answers back, naming them or not; a direct message
reaches only the person it names. A status without images that answers nothing and names
nobody is refused, as is a direct message to no one."""

from __future__ import annotations

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.api.servers import two_servers
from tests.api.test_boosts_and_fetched_posts import post_work
from tests.api.test_posting_mastodon_py import sign_in_app
from tests.instances import wait_for


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """alice and carol on A; bob on B follows alice."""
    a, b = two_servers(make_module_instance, ("alice", "carol"), ("bob",))
    assert "accepted" in b.cli("follow", "bob", f"alice@{a.domain}").stdout
    return a, b


def test_a_text_answer_reaches_the_artist_and_the_artist_answers_back(pair):
    a, b = pair
    alice, bob = sign_in_app(a, "alice"), sign_in_app(b, "bob")
    work = post_work(alice, "tide pools, linocut", seed=61)
    [there] = wait_for(lambda: bob.timeline_home(), what="the work on B")

    answer = bob.status_post(f"@alice@{a.domain} the linework is lovely", in_reply_to_id=there)
    assert answer["in_reply_to_id"] == there["id"]
    assert answer["media_attachments"] == []
    assert [m["acct"] for m in answer["mentions"]] == [f"alice@{a.domain}"]
    assert 'class="u-url mention"' in answer["content"]

    told = wait_for(
        lambda: [n for n in alice.notifications(types=["mention"])],
        what="alice told of bob's answer",
    )
    assert told[0]["account"]["acct"] == f"bob@{b.domain}"
    [below] = alice.status_context(work["id"])["descendants"]
    assert below["uri"] == answer["uri"] and below["in_reply_to_id"] == work["id"]
    assert "the linework is lovely" in below["content"]
    # The answer shows under the work on its page, and is not a work in her portfolio.
    assert "the linework is lovely" in httpx.get(work["url"]).text
    portfolio = httpx.get(f"{a.base_url}/@alice").text
    assert "tide pools" in portfolio and "linework" not in portfolio

    # Alice answers without writing his name: he is named anyway, so it reaches him.
    back = alice.status_post("thank you!", in_reply_to_id=below)
    assert [m["acct"] for m in back["mentions"]] == [f"bob@{b.domain}"]
    wait_for(
        lambda: [
            n for n in bob.notifications(types=["mention"]) if n["status"]["uri"] == back["uri"]
        ],
        what="bob told of alice's answer",
    )
    # An edit keeps the name linked (and the text as typed).
    edited = alice.status_update(back["id"], f"thank you, @bob@{b.domain}!")
    assert 'class="u-url mention"' in edited["content"]
    assert alice.status_source(back["id"])["text"] == f"thank you, @bob@{b.domain}!"


def test_a_direct_message_is_seen_only_by_the_person_it_names(pair):
    a, b = pair
    alice, bob, carol = sign_in_app(a, "alice"), sign_in_app(b, "bob"), sign_in_app(a, "carol")
    secret = alice.status_post(
        f"@bob@{b.domain} a commission, just between us", visibility="direct"
    )
    assert secret["visibility"] == "direct"
    [note] = wait_for(
        lambda: [
            n["status"]
            for n in bob.notifications(types=["mention"])
            if n["status"]["uri"] == secret["uri"]
        ],
        what="bob told of the direct message",
    )
    assert note["visibility"] == "direct" and "commission" in note["content"]
    assert bob.status(note["id"])["uri"] == secret["uri"]
    with pytest.raises(MastodonNotFoundError):
        carol.status(secret["id"])
    assert all(s["uri"] != secret["uri"] for s in bob.timeline_public())
    assert all(s["uri"] != secret["uri"] for s in carol.timeline_home())
    # Its address gives nothing to anyone unnamed, on the web or as ActivityPub.
    assert httpx.get(secret["url"]).status_code == 404
    fetched = httpx.get(secret["uri"], headers={"Accept": "application/activity+json"})
    assert fetched.status_code == 404


def test_statuses_that_cannot_be_are_refused_with_the_reason(pair):
    a, _ = pair
    alice = sign_in_app(a, "alice")
    before = a.query("SELECT count(*) FROM posts")
    with pytest.raises(MastodonAPIError) as alone:
        alice.status_post("just words")
    assert alone.value.args[1] == 422 and "at least one image" in alone.value.args[-1]
    with pytest.raises(MastodonAPIError) as nobody:
        alice.status_post("to whom?", visibility="direct")
    assert nobody.value.args[1] == 422 and "who it is for" in nobody.value.args[-1]
    with pytest.raises(MastodonNotFoundError):
        alice.status_post("answering nothing", in_reply_to_id="123456789")
    assert a.query("SELECT count(*) FROM posts") == before
