"""An artist posts from a Mastodon app, driven by Mastodon.py over real HTTP: two images
uploaded with descriptions and focus (screened as they arrive; the app polls until they are
ready), posted with a content warning, seen in the artist's home timeline and, federated,
in a follower's on a second server through *its* client API; then deleted. A generated
image is refused at upload with the reason."""

from __future__ import annotations

import io
import re
import time

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError

from cloak import content_credentials as cc
from tests.conftest import artwork
from tests.inbox.screening import images as img
from tests.instances import wait_for

PASSWORD = "correct horse battery"
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]


def sign_in_app(site, name: str) -> Mastodon:
    """Register an app, consent as `name` on the real page, and log in with the code."""
    client_id, secret = Mastodon.create_app("Sketchbook", api_base_url=site.base_url, scopes=SCOPES)
    app = Mastodon(client_id=client_id, client_secret=secret, api_base_url=site.base_url)
    browser = httpx.Client(base_url=site.base_url)
    [csrf] = re.findall(r'name="csrf" value="([^"]+)"', browser.get("/login").text)
    browser.post("/login", data={"csrf": csrf, "username": name, "password": PASSWORD})
    url = app.auth_request_url(scopes=SCOPES, allow_http=True)
    page = browser.get(url)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    granted = browser.post("/oauth/authorize", data={**fields, "decision": "allow"})
    [code] = re.findall(r'id="code" class="code" value="([^"]+)"', granted.text)
    app.log_in(code=code, scopes=SCOPES, allow_http=True)
    return app


def wait_ready(app: Mastodon, media) -> dict:
    """Poll as apps do (Mastodon.py's own synchronous wait sleeps 5 s a round)."""
    for _ in range(100):
        current = app.media(media)
        if current["url"] is not None:
            return current
        time.sleep(0.1)
    raise AssertionError(f"upload {media['id']} was never processed")


@pytest.fixture(scope="module")
def pair(make_module_instance):
    a = make_module_instance("a")
    b = make_module_instance("b")
    a.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    b.cli("user", "add", "bob", "--password-stdin", stdin=PASSWORD + "\n")
    assert "accepted" in b.cli("follow", "bob", f"alice@{a.domain}").stdout
    return a, b


def test_an_artist_posts_two_images_from_an_app_and_a_follower_elsewhere_sees_them(pair):
    a, b = pair
    alice = sign_in_app(a, "alice")
    first = alice.media_post(
        io.BytesIO(artwork(320, 240, seed=21)),
        mime_type="image/jpeg",
        description="ink study of a harbour",
        focus=(0.25, -0.5),
        synchronous=True,
    )
    assert first["url"] is not None and first["description"] == "ink study of a harbour"
    assert first["meta"]["focus"] == {"x": 0.25, "y": -0.5}
    second = alice.media_post(
        io.BytesIO(artwork(240, 320, seed=22)),
        mime_type="image/jpeg",
        description="the same harbour at night",
    )
    second = wait_ready(alice, second)
    assert second["meta"]["original"]["width"] == 240

    status = alice.status_post(
        "Two studies #harbour",
        media_ids=[first, second],
        spoiler_text="bright flashes",
        idempotency_key="k-1",
    )
    assert status["spoiler_text"] == "bright flashes" and status["sensitive"] is True
    assert [m["description"] for m in status["media_attachments"]] == [
        "ink study of a harbour",
        "the same harbour at night",
    ]
    assert status["media_attachments"][0]["meta"]["focus"] == {"x": 0.25, "y": -0.5}
    assert status["tags"] == [{"name": "harbour", "url": f"{a.base_url}/tags/harbour"}]
    # The same Idempotency-Key is the same status, not a second one.
    again = alice.status_post("Two studies #harbour", media_ids=[], idempotency_key="k-1")
    assert again["id"] == status["id"]
    assert a.query("SELECT count(*) FROM posts") == [(1,)]
    # The waiting copies are gone once the images are the post's own.
    assert a.query("SELECT count(*) FROM api_uploads") == [(0,)]

    home = alice.timeline_home()
    assert [s["id"] for s in home] == [status["id"]]
    assert alice.status(status["id"])["content"].startswith("<p>Two studies")

    bob = sign_in_app(b, "bob")
    seen = wait_for(lambda: bob.timeline_home(), what="the work in bob's home timeline")
    [there] = seen
    assert there["account"]["acct"] == f"alice@{a.domain}"
    assert there["spoiler_text"] == "bright flashes"
    assert [m["description"] for m in there["media_attachments"]] == [
        "ink study of a harbour",
        "the same harbour at night",
    ]
    image = httpx.get(there["media_attachments"][0]["url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    found = bob.account_lookup(f"alice@{a.domain}")
    assert bob.account_relationships(found["id"])[0]["following"] is True

    # Bob favourites and boosts it from his app; Alice's server counts both and tells her.
    assert bob.status_favourite(there["id"])["favourited"] is True
    assert bob.status_reblog(there["id"])["reblogged"] is True
    counted = wait_for(
        lambda: (
            (s := alice.status(status["id"]))["favourites_count"] == 1
            and s["reblogs_count"] == 1
            and s
        ),
        what="bob's favourite and boost on alice's server",
    )
    assert counted["favourited"] is False  # counts are everyone's; favourited is hers
    told = alice.notifications()
    assert sorted(n["type"] for n in told) == ["favourite", "follow", "reblog"]
    favourite = next(n for n in told if n["type"] == "favourite")
    assert favourite["account"]["acct"] == f"bob@{b.domain}"
    assert favourite["status"]["id"] == status["id"]
    only = alice.notifications(types=["follow"])
    assert [n["type"] for n in only] == ["follow"]
    assert [n["type"] for n in alice.notifications(exclude_types=["follow", "reblog"])] == [
        "favourite"
    ]
    alice.notifications_dismiss(favourite["id"])
    assert "favourite" not in [n["type"] for n in alice.notifications()]
    bob.status_unfavourite(there["id"])
    wait_for(
        lambda: alice.status(status["id"])["favourites_count"] == 0,
        what="the Undo of bob's favourite",
    )

    # Edit the text and the first image's description and focus from the app; the Update
    # reaches bob's server.
    first_image = status["media_attachments"][0]["id"]
    attributes = alice.generate_media_edit_attributes(
        first_image, description="ink study, revised", focus=(0.5, 0.5)
    )
    edited = alice.status_update(
        status["id"],
        "Two studies, revised #harbour",
        spoiler_text="bright flashes",
        media_attributes=[attributes],
    )
    assert "revised" in edited["content"] and edited["edited_at"] is not None
    assert [m["description"] for m in edited["media_attachments"]] == [
        "ink study, revised",
        "the same harbour at night",
    ]
    assert edited["media_attachments"][0]["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    updated = wait_for(
        lambda: "revised" in (s := bob.status(there["id"]))["content"] and s,
        what="the edit on bob's server",
    )
    assert updated["media_attachments"][0]["description"] == "ink study, revised"

    me = alice.me()
    assert alice.status_pin(status["id"])["pinned"] is True
    assert [s["id"] for s in alice.account_statuses(me["id"], pinned=True)] == [status["id"]]
    assert alice.status_unpin(status["id"])["pinned"] is False
    assert alice.account_statuses(me["id"], pinned=True) == []
    assert [a["acct"] for a in alice.account_followers(me["id"])] == [f"bob@{b.domain}"]
    assert [a["acct"] for a in bob.account_following(bob.me()["id"])] == [f"alice@{a.domain}"]

    deleted = alice.status_delete(status["id"])
    assert deleted["text"].startswith("Two studies")
    assert alice.timeline_home() == []
    wait_for(lambda: bob.timeline_home() == [], what="the delete to reach bob's server")


def test_a_generated_upload_is_refused_with_the_reason_and_cannot_be_posted(pair):
    a, _ = pair
    alice = sign_in_app(a, "alice")
    marked = img.png_with_text(
        img.photo("rocket").resize((200, 150)), parameters=img.A1111_PARAMETERS
    )
    upload = alice.media_post(io.BytesIO(marked), mime_type="image/png", description="a rocket")
    token = {"Authorization": f"Bearer {alice.access_token}"}

    def answer() -> httpx.Response:
        return httpx.get(f"{a.base_url}/api/v1/media/{upload['id']}", headers=token)

    refused = wait_for(lambda: (r := answer()).status_code == 422 and r, what="the refusal")
    assert "generator: PNG 'parameters' chunk of AUTOMATIC1111" in refused.json()["error"]
    with pytest.raises(MastodonAPIError, match="cannot be posted"):
        alice.status_post("rocket", media_ids=[upload["id"]])
    assert a.query("SELECT count(*) FROM posts WHERE content LIKE '%rocket%'") == [(0,)]
    [(state,)] = a.query("SELECT state FROM moderation_records WHERE origin = 'local'")
    assert state == "refused"


def test_a_cloaked_work_shows_to_its_author_at_once_and_to_others_once_cloaked(
    make_instance,
):
    fast_cloak = "steps = 2\nlease_seconds = 3.0\npoll_interval_seconds = 0.2\nretry_seconds = 0.2"
    site = make_instance("cloaking", cloak_config=fast_cloak)
    site.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    site.cli("user", "add", "bea", "--password-stdin", stdin=PASSWORD + "\n")
    assert "accepted" in site.cli("follow", "bea", "alice").stdout
    alice, bea = sign_in_app(site, "alice"), sign_in_app(site, "bea")
    upload = wait_ready(
        alice,
        alice.media_post(
            io.BytesIO(artwork(200, 160, seed=40)), mime_type="image/jpeg", description="a work"
        ),
    )
    status = alice.status_post("Cloaked #study", media_ids=[upload])
    [pending] = status["media_attachments"]
    assert pending["url"] == f"{site.base_url}/placeholders/cloaking.png"
    assert httpx.get(pending["url"]).status_code == 200
    assert [s["id"] for s in alice.timeline_home()] == [status["id"]]
    assert bea.timeline_home() == []  # not before its images are cloaked
    assert (
        httpx.get(
            f"{site.base_url}/api/v1/statuses/{status['id']}",
            headers={"Authorization": f"Bearer {bea.access_token}"},
        ).status_code
        == 404
    )
    [shown] = wait_for(lambda: bea.timeline_home(), 120, what="the work once cloaked")
    [image] = shown["media_attachments"]
    assert image["url"].startswith(f"{site.base_url}/media/")
    assert alice.status(status["id"])["media_attachments"][0]["url"] == image["url"]


def test_profile_search_and_the_public_timeline_from_apps(pair):
    a, b = pair
    alice, bob = sign_in_app(a, "alice"), sign_in_app(b, "bob")
    avatar = io.BytesIO(artwork(96, 96, seed=70))
    me = alice.account_update_credentials(
        display_name="Alice Ink",
        note="Harbours & <boats>",
        avatar=avatar,
        avatar_mime_type="image/jpeg",
        fields=[("Shop", "https://alice.example/shop")],
    )
    assert me["display_name"] == "Alice Ink"
    assert me["source"]["note"] == "Harbours & <boats>"
    assert (
        me["fields"][0]["name"] == "Shop"
        and "https://alice.example/shop" in me["fields"][0]["value"]
    )
    assert me["avatar"].startswith(f"{a.base_url}/media/")
    assert httpx.get(me["avatar"]).status_code == 200
    with pytest.raises(MastodonAPIError, match="http or https"):
        alice.account_update_credentials(fields=[("Shop", "javascript:alert(1)")])

    upload = wait_ready(
        alice,
        alice.media_post(
            io.BytesIO(artwork(160, 120, seed=71)), mime_type="image/jpeg", description="a quay"
        ),
    )
    status = alice.status_post("Quay #harbour", media_ids=[upload])
    # Bob finds alice on her server by handle (WebFinger), and her work by its URL.
    found = bob.search_v2(f"alice@{a.domain}", resolve=True)
    assert [x["acct"] for x in found["accounts"]] == [f"alice@{a.domain}"]
    local = alice.search_v2("ali", resolve=False)
    assert [x["acct"] for x in local["accounts"]] == ["alice"]
    by_url = alice.search_v2(status["url"])
    assert [s["id"] for s in by_url["statuses"]] == [status["id"]]
    assert alice.search_v2("#harbour")["hashtags"][0]["name"] == "harbour"

    # The public and tag timelines answer without a token, as Mastodon's do; a bad token
    # is refused rather than taken as nobody.
    anonymous = httpx.get(f"{a.base_url}/api/v1/timelines/public?local=true")
    assert anonymous.status_code == 200
    assert status["id"] in [s["id"] for s in anonymous.json()]
    assert httpx.get(f"{a.base_url}/api/v1/timelines/tag/harbour").json()[0]["id"] == status["id"]
    bad = httpx.get(
        f"{a.base_url}/api/v1/timelines/public", headers={"Authorization": "Bearer not-a-token"}
    )
    assert bad.status_code == 401
    alice.status_delete(status["id"])


def test_an_app_declares_how_a_work_was_made_for_its_content_credentials(pair):
    """cara-fed's own `made_as` parameter of POST /api/v1/statuses: the work's Content
    Credentials say it; anything but digital, photo or scan is refused, and nothing is made."""
    a, _ = pair
    alice = sign_in_app(a, "alice")
    api = httpx.Client(
        base_url=a.base_url, headers={"Authorization": f"Bearer {alice.access_token}"}
    )
    upload = alice.media_post(
        io.BytesIO(artwork(200, 150, seed=23)),
        mime_type="image/jpeg",
        description="a quay at dusk",
        synchronous=True,
    )
    before = a.query("SELECT count(*) FROM posts")
    refused = api.post(
        "/api/v1/statuses", json={"status": "x", "media_ids": [upload["id"]], "made_as": "ai"}
    )
    assert refused.status_code == 422 and "digital, photo, scan" in refused.json()["error"]
    assert a.query("SELECT count(*) FROM posts") == before
    made = api.post(
        "/api/v1/statuses",
        json={"status": "Quay at dusk", "media_ids": [upload["id"]], "made_as": "photo"},
    )
    assert made.status_code == 200, made.text
    [(declared,)] = a.query("SELECT made_as FROM posts WHERE id = ?", int(made.json()["id"]))
    assert declared == "photo"
    served = httpx.get(made.json()["media_attachments"][0]["url"]).content
    said = cc.read(served, httpx.get(f"{a.base_url}/.well-known/content-credentials.pem").text)
    assert said is not None and said.trusted and said.source_type == cc.MADE_AS["photo"]
    assert said.handle == f"@alice@{a.domain}"
