"""The social side of the web, between two running instances over real HTTP: following an
artist on another server by handle and seeing their work in the home feed, the feed's saved
filters, "follow from your server", follow requests decided on the web, profile edits that
reach followers, sign-ups as `registrations` allows, and the thumbnails made of remote images
for the feed."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import httpx
import pytest
from PIL import Image

from activitypub.vocab import AS_JSON
from cloak.xmp import DMI_PROHIBITED_AIML
from tests.conftest import artwork
from tests.instances import wait_for
from tests.web_client import PASSWORD, add_member, form_token, signed_in, submit


@pytest.fixture(scope="module")
def two(make_module_instance):
    """Reader rui on A; artist ana on B, with works of several kinds."""
    a = make_module_instance("reader")
    # Without Content Credentials, so that one image published twice is the same bytes twice,
    # as A's sharing of remote copies needs (each signing of a rendition is unique: a new
    # manifest id and ECDSA signature); tests/e2e/test_cloak_publishing.py tests the signing.
    b = make_module_instance("artist", instance_config="[policy]\ncontent_credentials = false")
    add_member(a, "rui")
    add_member(b, "ana")
    return a, b


def _post(instance, image, alt: str, *args: str) -> None:
    instance.cli("post", "ana", "--image", str(image), "--alt", alt, *args)


def feed(client) -> str:
    page = client.get("/home")
    assert page.status_code == 200
    return page.text


def test_following_by_handle_brings_the_artists_work_to_the_feed_and_filters_change_it(
    two, tmp_path
):
    a, b = two
    plain, tagged, warned = (tmp_path / f"{n}.jpg" for n in ("plain", "tagged", "warned"))
    for seed, path in enumerate((plain, tagged, warned), 70):
        path.write_bytes(artwork(seed=seed))
    rui = signed_in(a, "rui")
    response = submit(rui, "/home", "/follow", data={"account": f"ana@{b.domain}"})
    assert response.status_code == 303
    wait_for(
        lambda: (
            a.query(
                "SELECT f.state FROM follows f JOIN actors a ON a.id = f.follower_id "
                "WHERE a.username = 'rui'"
            )
            == [("accepted",)]
        ),
        what="ana's server to accept",
    )
    _post(b, plain, "a quiet harbour", "--text", "Harbour at dawn")
    _post(b, tagged, "a dragon", "--text", "Dragon", "--tag", "spoilers")
    _post(b, warned, "a storm", "--text", "Storm study", "--summary", "flashing")
    wait_for(lambda: a.query("SELECT count(*) FROM posts")[0][0] >= 3, what="three posts")
    page = feed(rui)
    for text in ("Harbour at dawn", "Dragon", "Storm study", 'alt="a quiet harbour"'):
        assert text in page
    assert "Content warning: flashing" in page
    response = submit(
        rui, "/home", "/home/filters", data={"hide_tags": "#Spoilers", "hide_sensitive": "1"}
    )
    assert response.status_code == 303
    page = feed(rui)
    assert "Harbour at dawn" in page
    assert "Dragon" not in page and "Storm study" not in page
    # Saved: a new session sees the same filtered feed.
    assert "Dragon" not in feed(signed_in(a, "rui"))
    submit(rui, "/home", "/home/filters", data={})
    assert "Dragon" in feed(rui) and "Storm study" in feed(rui)


def test_follow_from_your_server_sends_the_visitor_to_their_servers_follow_page(two):
    a, b = two
    response = httpx.post(f"{b.base_url}/@ana/remote-follow", data={"account": f"rui@{a.domain}"})
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith(f"{a.base_url}/authorize_interaction?uri=")
    assert unquote(target.split("uri=", 1)[1]) == f"{b.base_url}/users/ana"
    # There, a signed-in member confirms and follows.
    rui = signed_in(a, "rui")
    confirm = rui.get(target)
    assert confirm.status_code == 200 and f"@ana@{b.domain}" in confirm.text
    assert 'action="/follow"' in confirm.text
    # A server without a follow page: the visitor is told what to do instead.
    nowhere = httpx.post(f"{b.base_url}/@ana/remote-follow", data={"account": "not a handle"})
    assert nowhere.status_code == 400 and f"@ana@{b.domain}" in nowhere.text


def test_follow_requests_are_approved_and_rejected_on_the_web(two):
    a, b = two
    add_member(b, "lin")
    for name in ("kai", "mo"):
        a.cli("user", "add", name)
    lin = signed_in(b, "lin")
    submit(
        lin,
        "/settings/profile",
        "/settings/profile",
        data={"display_name": "Lin", "manually_approves_followers": "1"},
    )
    for name in ("kai", "mo"):
        a.cli("follow", name, f"lin@{b.domain}", "--wait", "0")
    lin_requests = (
        "SELECT f.state FROM follows f JOIN actors a ON a.id = f.followee_id "
        "WHERE a.username = 'lin'"
    )
    wait_for(lambda: len(b.query(lin_requests)) == 2, what="two requests")
    page = lin.get("/follow-requests").text
    assert f"@kai@{a.domain}" in page and f"@mo@{a.domain}" in page
    for name, decision in (("kai", "accept"), ("mo", "reject")):
        response = submit(
            lin,
            "/follow-requests",
            "/follow-requests",
            data={"account": f"{a.base_url}/users/{name}", "decision": decision},
        )
        assert response.status_code == 303
    assert b.query(lin_requests) == [("accepted",)]
    wait_for(
        lambda: (
            a.query(
                "SELECT a.username, f.state FROM follows f JOIN actors a ON a.id = f.follower_id "
                "WHERE a.username IN ('kai', 'mo')"
            )
            == [("kai", "accepted")]
        ),
        what="kai accepted and mo's request gone on A",
    )


def test_a_profile_edit_is_shown_and_sent_as_an_update_with_links(two):
    a, b = two
    a.cli("follow", "rui", f"ana@{b.domain}")  # so that A is sent the Update
    ana = signed_in(b, "ana")
    response = submit(
        ana,
        "/settings/profile",
        "/settings/profile",
        data={
            "display_name": "Ana Ink",
            "bio": "I draw harbours.",
            "link_name1": "Shop",
            "link_url1": "https://shop.example/ana",
        },
        files={"avatar": ("a.png", artwork(96, 96, seed=9, fmt="PNG"), "image/png")},
    )
    assert response.status_code == 303
    actor = httpx.get(f"{b.base_url}/users/ana", headers={"Accept": AS_JSON}).json()
    assert actor["name"] == "Ana Ink" and "I draw harbours." in actor["summary"]
    [field] = actor["attachment"]
    assert field["type"] == "PropertyValue" and field["name"] == "Shop"
    assert (
        'href="https://shop.example/ana"' in field["value"]
        and 'rel="nofollow noopener noreferrer me"' in field["value"]
    )
    assert actor["icon"]["url"].startswith(f"{b.base_url}/media/local/")
    page = httpx.get(f"{b.base_url}/@ana").text
    assert "Ana Ink" in page and "https://shop.example/ana" in page
    # The follower's server hears of it.
    wait_for(
        lambda: a.query("SELECT display_name FROM actors WHERE username = 'ana'") == [("Ana Ink",)],
        what="the Update to reach A",
    )
    bad = submit(
        ana,
        "/settings/profile",
        "/settings/profile",
        data={"display_name": "X", "link_name1": "Evil", "link_url1": "javascript:alert(1)"},
    )
    assert bad.status_code == 400 and "http or https" in bad.text
    assert httpx.get(f"{b.base_url}/users/ana", headers={"Accept": AS_JSON}).json()["name"] == (
        "Ana Ink"
    )


def test_sign_ups_are_closed_by_default(two):
    a, _ = two
    for response in (httpx.get(f"{a.base_url}/signup"), httpx.post(f"{a.base_url}/signup")):
        assert response.status_code == 404 and "closed" in response.text
    assert "/signup" not in httpx.get(a.base_url).text


@pytest.mark.parametrize("mode", ["approval", "open"])
def test_sign_ups_follow_the_registrations_setting(make_instance, mode):
    site = make_instance(f"reg-{mode}", instance_config=f'registrations = "{mode}"')
    client = httpx.Client(base_url=site.base_url)
    form = client.get("/signup")
    token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    data = {"csrf": token, "username": "neo", "password": "short"}
    assert client.post("/signup", data=data).status_code == 400
    data["password"] = PASSWORD
    data["reason"] = "My work is at https://neo.example" if mode == "approval" else ""
    response = client.post("/signup", data=data)
    if mode == "open":
        assert response.status_code == 303 and "cara_session" in response.headers["set-cookie"]
        assert "Signed in as neo" in client.get("/home").text
        return
    assert response.status_code == 200 and "admin will read" in response.text
    assert site.query("SELECT approved, signup_reason FROM actors WHERE username = 'neo'") == [
        (0, "My work is at https://neo.example")
    ]
    # Not approved: no sign-in, no profile, no WebFinger.
    assert httpx.get(f"{site.base_url}/@neo").status_code == 404
    webfinger = f"{site.base_url}/.well-known/webfinger?resource=acct:neo@{site.domain}"
    assert httpx.get(webfinger).status_code == 404
    form = httpx.Client(base_url=site.base_url)
    login_page = form.get("/login").text
    token = login_page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    refused = form.post("/login", data={"csrf": token, "username": "neo", "password": PASSWORD})
    assert refused.status_code == 403 and "waiting for an admin" in refused.text
    assert "neo" in site.cli("user", "pending").stdout
    site.cli("user", "approve", "neo")
    assert signed_in(site, "neo").get("/home").status_code == 200
    assert httpx.get(f"{site.base_url}/@neo").status_code == 200


def test_the_following_page_unfollows_a_remote_artist_and_tells_their_server(two):
    a, b = two
    add_member(a, "sam")
    sam = signed_in(a, "sam")
    assert submit(sam, "/home", "/follow", data={"account": f"ana@{b.domain}"}).status_code == 303
    sams_follows_on_b = (
        "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.follower_id "
        "WHERE a.username = 'sam'"
    )
    wait_for(lambda: b.query(sams_follows_on_b) == [(1,)], what="ana's server to record sam")
    # The Accept travels back and is handled by a's worker: only then does sam follow ana.
    sams_follow_on_a = (
        "SELECT f.state FROM follows f JOIN actors a ON a.id = f.follower_id "
        "WHERE a.username = 'sam'"
    )
    wait_for(lambda: a.query(sams_follow_on_a) == [("accepted",)], what="ana's Accept")
    page = sam.get("/following").text
    assert f"@ana@{b.domain}" in page and "Unfollow" in page
    response = submit(sam, "/following", "/unfollow", data={"account": f"{b.base_url}/users/ana"})
    assert response.status_code == 303
    assert "You follow no one yet." in sam.get("/following").text
    wait_for(lambda: b.query(sams_follows_on_b) == [(0,)], what="the Undo to reach ana's server")
    token = form_token(sam.get("/home").text, "/follow")
    again = sam.post("/unfollow", data={"csrf": token, "account": f"{b.base_url}/users/ana"})
    assert again.status_code == 400 and "does not follow" in again.text


def _remote_media(instance, post_uri: str) -> list[tuple]:
    return instance.query(
        "SELECT m.file_name, m.thumb_file, m.thumb_width, m.thumb_height, m.width, m.height "
        "FROM media_attachments m JOIN posts p ON p.id = m.post_id WHERE p.uri = ? "
        "ORDER BY m.position",
        post_uri,
    )


def test_remote_images_get_thumbnails_for_the_feed_shared_and_removed_with_the_last_post(
    two, tmp_path
):
    a, b = two
    add_member(a, "tess")
    assert "accepted" in a.cli("follow", "tess", f"ana@{b.domain}").stdout
    large, small = tmp_path / "large.jpg", tmp_path / "small.png"
    large.write_bytes(artwork(1200, 900, seed=81))
    small.write_bytes(artwork(300, 200, seed=82, fmt="PNG"))
    pages, uris = [], []
    posts = (
        ("--image", str(large), "--alt", "a wide bay", "--image", str(small), "--alt", "a pebble"),
        ("--image", str(large), "--alt", "the bay again"),
    )
    for images in posts:
        page = b.cli("post", "ana", *images, "--text", "Bay").stdout.strip().splitlines()[0]
        [(uri,)] = b.query("SELECT uri FROM posts WHERE url = ?", page)
        wait_for(lambda u=uri: _remote_media(a, u), what="ana's post with its images on A")
        pages.append(page)
        uris.append(uri)
    media = a.root / "data" / "media"

    # The large image: a thumbnail beside the cached copy, 640 px on its longer side.
    (full, thumb, width, height, _, _), (small_full, small_thumb, *small_dims) = _remote_media(
        a, uris[0]
    )
    assert full.startswith("remote/") and full.endswith(".jpg")
    assert thumb == full.removesuffix(".jpg") + ".thumb.jpg"
    assert (width, height) == (640, 480)  # 1200×900 keeps its 4:3
    assert (media / full).is_file() and (media / thumb).is_file()
    served = httpx.get(f"{a.base_url}/media/{thumb}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    shown = Image.open(io.BytesIO(served.content))
    assert shown.size == (640, 480)
    assert DMI_PROHIBITED_AIML in shown.info["xmp"].decode()  # ana's rights travel with it
    # The small one is its own thumbnail: no second file.
    assert small_thumb == small_full and small_dims == [300, 200, 300, 200]
    assert not list((media / "remote").glob(f"{small_full.split('/')[1].split('.')[0]}.thumb.*"))
    # The same image in a second post shares both files.
    [(full_again, thumb_again, *_)] = _remote_media(a, uris[1])
    assert (full_again, thumb_again) == (full, thumb)

    # The feed shows the thumbnail and links the full copy; the small image as it is.
    page = feed(signed_in(a, "tess"))
    imgs = dict((alt, src) for src, alt in re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page))
    assert imgs["a wide bay"] == imgs["the bay again"] == f"{a.base_url}/media/{thumb}"
    assert imgs["a pebble"] == f"{a.base_url}/media/{small_full}"
    assert f'<a href="{a.base_url}/media/{full}">Full size</a>' in page

    # Deleting one post keeps what the other still uses; deleting the last removes it all.
    gone = "SELECT deleted_at IS NOT NULL FROM posts WHERE uri = ?"
    b.cli("delete", "ana", pages[0])
    wait_for(lambda: a.query(gone, uris[0]) == [(1,)], what="the first post's Delete on A")
    assert (media / thumb).is_file() and not (media / small_full).exists()
    assert httpx.get(f"{a.base_url}/media/{thumb}").status_code == 200
    b.cli("delete", "ana", pages[1])
    wait_for(lambda: a.query(gone, uris[1]) == [(1,)], what="the second post's Delete on A")
    assert not (media / thumb).exists() and not (media / full).exists()
    assert httpx.get(f"{a.base_url}/media/{thumb}").status_code == 404
