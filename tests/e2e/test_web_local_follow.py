"""Following an account on the same instance, over real HTTP to one running server: by handle
in the feed's form, by actor URL through "follow from your server", by the button on a
portfolio, and in the CLI. A local follow is written directly (no Follow, Accept or delivery to
our own inbox), waits for approval where the artist approves by hand, and brings the artist's
works, followers-only ones included, to the follower's feed and to no one else's."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from activitypub.vocab import AS_JSON
from tests.conftest import artwork
from tests.web_client import add_member, form_token, signed_in, submit

FOLLOWS = (
    "SELECT f.state FROM follows f JOIN actors a ON a.id = f.follower_id "
    "JOIN actors b ON b.id = f.followee_id WHERE a.username = ? AND b.username = ?"
)


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    """Artist ivy with one public work; members to follow her."""
    instance = make_module_instance("local")
    for name in ("ivy", "oli", "pat", "uma", "vic", "liz", "wen", "xan", "zoe"):
        add_member(instance, name)
    pictures = tmp_path_factory.mktemp("pictures")
    for seed in (11, 12, 13):
        (pictures / f"{seed}.jpg").write_bytes(artwork(seed=seed))
    post(instance, "ivy", pictures / "11.jpg", "Harbour at dawn")
    return instance, pictures


def post(instance, name: str, image, title: str, *args: str) -> None:
    instance.cli("post", name, "--image", str(image), "--alt", title, "--title", title, *args)


def state(instance, follower: str, followee: str) -> list[tuple]:
    return instance.query(FOLLOWS, follower, followee)


def feed(client) -> str:
    page = client.get("/home")
    assert page.status_code == 200
    return page.text


def deliveries_to_ourselves(instance) -> list[tuple]:
    return instance.query(
        "SELECT inbox FROM deliveries WHERE inbox LIKE ?", instance.base_url + "%"
    )


def test_following_by_handle_brings_the_work_to_the_feed_with_no_delivery_to_ourselves(site):
    instance, pictures = site
    oli, pat = signed_in(instance, "oli"), signed_in(instance, "pat")
    response = submit(oli, "/home", "/follow", data={"account": "ivy"})
    assert response.status_code == 303
    assert response.headers["location"] == "/home?followed=now"
    assert state(instance, "oli", "ivy") == [("accepted",)]
    assert "Followed." in oli.get(response.headers["location"]).text
    # Posted now that oli follows: fan-out finds a local follower and must not send to her.
    post(instance, "ivy", pictures / "12.jpg", "Public study")
    post(instance, "ivy", pictures / "13.jpg", "Sketch for followers", "--visibility", "followers")
    page = feed(oli)
    for title in ("Harbour at dawn", "Public study", "Sketch for followers"):
        assert title in page
    assert "Sketch for followers" not in feed(pat)
    portfolio = oli.get("/@ivy").text
    # A portfolio shows each viewer what they may see (issue 23): oli follows ivy, pat not.
    assert "Sketch for followers" in portfolio
    assert "Sketch for followers" not in pat.get("/@ivy").text
    assert re.search(r"\b[1-9]\d* followers\b", portfolio)
    followers = oli.get("/users/ivy/followers?page=1", headers={"Accept": AS_JSON}).json()
    assert f"{instance.base_url}/users/oli" in followers["orderedItems"]
    following = oli.get("/users/oli/following?page=1", headers={"Accept": AS_JSON}).json()
    assert following["orderedItems"] == [f"{instance.base_url}/users/ivy"]
    # The works were federated (stored as Creates) and the profile edit too, yet nothing
    # was queued to this server's own inboxes, and no Follow or Accept was made at all.
    edited = submit(
        signed_in(instance, "ivy"), "/settings/profile", "/settings/profile",
        data={"display_name": "Ivy"},
    )  # fmt: skip
    assert edited.status_code == 303
    kinds = [k for (k,) in instance.query("SELECT kind FROM outbound_activities")]
    assert kinds.count("Create") >= 3 and "Update" in kinds
    assert not {"Follow", "Accept", "Reject", "Undo"} & set(kinds)
    assert deliveries_to_ourselves(instance) == []


def test_every_way_of_naming_a_local_account_follows_it(site):
    instance, _ = site
    uma = signed_in(instance, "uma")
    actor = f"{instance.base_url}/users/ivy"
    for account in ("@ivy", f"ivy@{instance.domain}", f"@ivy@{instance.domain}", actor):
        response = submit(uma, "/home", "/follow", data={"account": account})
        assert response.status_code == 303, (account, response.text)
        assert state(instance, "uma", "ivy") == [("accepted",)], account
        assert submit(uma, "/@ivy", "/@ivy/unfollow").status_code == 303
        assert state(instance, "uma", "ivy") == [], account
    # "Follow from your server" pointing at a local actor: confirm, then follow.
    confirm = f"/authorize_interaction?uri={quote(actor, safe='')}"
    page = uma.get(confirm)
    assert page.status_code == 200 and f"@ivy@{instance.domain}" in page.text
    assert submit(uma, confirm, "/follow", data={"account": actor}).status_code == 303
    assert state(instance, "uma", "ivy") == [("accepted",)]
    # Somebody who is not a member here is named as such, and nothing is stored.
    missing = submit(uma, "/home", "/follow", data={"account": "nobody"})
    assert missing.status_code == 400
    assert f"there is no account nobody on {instance.domain}" in missing.text
    assert instance.query(
        "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.follower_id "
        "WHERE a.username = 'uma'"
    ) == [(1,)]
    assert deliveries_to_ourselves(instance) == []


def test_following_yourself_is_refused_and_stores_nothing(site):
    instance, _ = site
    ivy = signed_in(instance, "ivy")
    actor = f"{instance.base_url}/users/ivy"
    for account in ("ivy", actor):
        refused = submit(ivy, "/home", "/follow", data={"account": account})
        assert refused.status_code == 400
        assert "you cannot follow yourself" in refused.text
    page = ivy.get("/@ivy").text
    assert 'action="/@ivy/follow"' not in page and "remote-follow" not in page
    button = ivy.post("/@ivy/follow", data={"csrf": form_token(feed(ivy), "/follow")})
    assert button.status_code == 400 and "you cannot follow yourself" in button.text
    confirm = ivy.get(f"/authorize_interaction?uri={quote(actor, safe='')}")
    assert confirm.status_code == 400 and "you cannot follow yourself" in confirm.text
    assert instance.query(
        "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.follower_id "
        "WHERE a.username = 'ivy'"
    ) == [(0,)]


def test_the_portfolio_button_follows_and_unfollows(site):
    instance, _ = site
    vic = signed_in(instance, "vic")
    page = vic.get("/@ivy").text
    assert "remote-follow" not in page  # a member follows from here, not "from your server"
    followed = submit(vic, "/@ivy", "/@ivy/follow")
    assert followed.status_code == 303 and followed.headers["location"].endswith("/@ivy")
    assert state(instance, "vic", "ivy") == [("accepted",)]
    page = vic.get("/@ivy").text
    assert 'action="/@ivy/unfollow"' in page and ">Unfollow</button>" in page
    assert "Harbour at dawn" in feed(vic)
    unfollowed = submit(vic, "/@ivy", "/@ivy/unfollow")
    assert unfollowed.status_code == 303
    assert state(instance, "vic", "ivy") == []
    assert "Harbour at dawn" not in feed(vic)
    assert 'action="/@ivy/follow"' in vic.get("/@ivy").text
    # Unfollowing someone you do not follow (a stale page) is a clear 400, not a success.
    stale = vic.post("/@ivy/unfollow", data={"csrf": form_token(feed(vic), "/follow")})
    assert stale.status_code == 400 and "vic does not follow" in stale.text


def test_the_button_on_a_work_comes_back_to_the_work_and_never_to_another_site(site):
    instance, _ = site
    zoe = signed_in(instance, "zoe")
    [(post_id,)] = instance.query("SELECT id FROM posts WHERE title = 'Harbour at dawn'")
    work = f"/@ivy/{post_id}"
    assert f'<input type="hidden" name="next" value="{work}">' in zoe.get(work).text
    followed = submit(zoe, work, "/@ivy/follow", {"next": work})
    assert followed.status_code == 303 and followed.headers["location"] == work
    assert state(instance, "zoe", "ivy") == [("accepted",)]
    assert 'action="/@ivy/unfollow"' in zoe.get(work).text
    # A `next` that leads off this site, however it is spelled, goes to the portfolio.
    for n, elsewhere in enumerate(
        ("//evil.example/x", "https://evil.example/x", "/\\evil.example")
    ):
        action = "/@ivy/unfollow" if n % 2 == 0 else "/@ivy/follow"
        answer = submit(zoe, work, action, {"next": elsewhere})
        assert answer.status_code == 303, elsewhere
        location = answer.headers["location"]
        assert location.endswith("/@ivy") and "evil" not in location, (elsewhere, location)
    assert state(instance, "zoe", "ivy") == []


def test_an_artist_who_approves_by_hand_approves_and_rejects_local_requests(site):
    instance, pictures = site
    liz = signed_in(instance, "liz")
    submit(
        liz, "/settings/profile", "/settings/profile",
        data={"display_name": "Liz", "manually_approves_followers": "1"},
    )  # fmt: skip
    post(instance, "liz", pictures / "12.jpg", "Liz for followers", "--visibility", "followers")
    wen, xan = signed_in(instance, "wen"), signed_in(instance, "xan")
    requested = submit(wen, "/@liz", "/@liz/follow")
    assert requested.status_code == 303
    assert submit(xan, "/home", "/follow", data={"account": "liz"}).headers["location"] == (
        "/home?followed=1"
    )
    assert state(instance, "wen", "liz") == [("pending",)]
    assert state(instance, "xan", "liz") == [("pending",)]
    assert "Requested" in wen.get("/@liz").text
    assert "Liz for followers" not in feed(wen)  # a request gives nothing yet
    requests = liz.get("/follow-requests").text
    assert f"@wen@{instance.domain}" in requests and f"@xan@{instance.domain}" in requests
    for name, decision in (("wen", "accept"), ("xan", "reject")):
        response = submit(
            liz,
            "/follow-requests",
            "/follow-requests",
            data={"account": f"{instance.base_url}/users/{name}", "decision": decision},
        )
        assert response.status_code == 303
    assert state(instance, "wen", "liz") == [("accepted",)]
    assert state(instance, "xan", "liz") == []
    assert "No pending requests." in liz.get("/follow-requests").text
    assert "Liz for followers" in feed(wen)
    assert "Liz for followers" not in feed(xan)
    assert ">Unfollow</button>" in wen.get("/@liz").text
    assert 'action="/@liz/follow"' in xan.get("/@liz").text
    assert deliveries_to_ourselves(instance) == []


def test_the_cli_follows_and_unfollows_local_accounts(site):
    instance, _ = site
    add_member(instance, "yan")
    assert instance.cli("follow", "yan", "@ivy").stdout.strip() == "yan → @ivy: accepted"
    assert state(instance, "yan", "ivy") == [("accepted",)]
    assert "Harbour at dawn" in instance.cli("timeline", "yan").stdout
    for account, reason in (
        ("yan", "you cannot follow yourself"),
        ("nobody", f"there is no account nobody on {instance.domain}"),
    ):
        refused = instance.cli("follow", "yan", account, check=False)
        assert refused.returncode == 1 and reason in refused.stderr
    instance.cli("unfollow", "yan", f"ivy@{instance.domain}")
    assert state(instance, "yan", "ivy") == []
    assert deliveries_to_ourselves(instance) == []
