"""Issue 23, item 1, on the web: every page that lists or shows works asks the one audience
check (cara_fed/store/audience.py: may_see, and its query form for lists). Against a running
instance, each path is read by viewers who may see a followers-only work and viewers who may
not: an anonymous visitor, an accepted follower, a member who does not follow, and a member
the artist blocks."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.api.test_posting_mastodon_py import sign_in_app
from tests.conftest import artwork
from tests.web_client import PASSWORD, signed_in, submit


@pytest.fixture(scope="module")
def gallery(make_module_instance, tmp_path_factory):
    site = make_module_instance("gallery")
    for name in ("ana", "fan", "stranger", "troll"):
        site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    site.cli("follow", "fan", "ana")
    ana = signed_in(site, "ana")
    album = submit(ana, "/albums", "/albums", data={"title": "Sketches"})
    album_id = album.headers["location"].rsplit("/", 1)[1]
    pictures = tmp_path_factory.mktemp("works")
    urls = {}
    for n, (title, visibility) in enumerate((("dawn", "public"), ("secret", "followers"))):
        path = pictures / f"{title}.jpg"
        path.write_bytes(artwork(160, 120, seed=40 + n))
        urls[title] = site.cli(
            "post", "ana", "--image", str(path), "--alt", f"{title} study", "--title", title,
            "--tag", "ink", "--album", album_id, "--visibility", visibility, "--no-cloak",
        ).stdout.strip().splitlines()[0]  # fmt: skip
    # An album holding only a followers-only work: its cover is the followers' alone.
    private = submit(ana, "/albums", "/albums", data={"title": "Studio notes"})
    private_id = private.headers["location"].rsplit("/", 1)[1]
    path = pictures / "notes.jpg"
    path.write_bytes(artwork(160, 120, seed=45))
    site.cli(
        "post", "ana", "--image", str(path), "--alt", "notes study", "--title", "notes",
        "--album", private_id, "--visibility", "followers", "--no-cloak",
    )  # fmt: skip
    # Replies under dawn: one by troll (whom ana then blocks), one by fan.
    dawn_id = urls["dawn"].rsplit("/", 1)[1]
    for name, text in (("troll", "ugly reply"), ("fan", "lovely reply")):
        sign_in_app(site, name).status_post(text, in_reply_to_id=dawn_id)
    site.cli("block", "ana", "troll")
    viewers = {
        "anonymous": httpx.Client(base_url=site.base_url),
        "fan": signed_in(site, "fan"),
        "stranger": signed_in(site, "stranger"),
        "troll": signed_in(site, "troll"),
        "ana": ana,
    }
    return site, urls, f"/@ana/albums/{album_id}", viewers, f"/@ana/albums/{private_id}"


def titles(page: str, urls: dict[str, str]) -> set[str]:
    """Which of the two works a page links to."""
    return {t for t, url in urls.items() if f'href="{url}"' in page}


@pytest.mark.parametrize(
    "viewer, sees",
    [
        ("anonymous", {"dawn"}),
        ("stranger", {"dawn"}),
        ("fan", {"dawn", "secret"}),
        ("troll", set()),
        ("ana", {"dawn", "secret"}),
    ],
)
def test_the_portfolio_and_the_album_show_each_viewer_what_they_may_see(gallery, viewer, sees):
    _, urls, album, viewers, _ = gallery
    client = viewers[viewer]
    portfolio = client.get("/@ana").text
    assert titles(portfolio, urls) == sees
    assert f"{len(sees) + ('secret' in sees)} works" in portfolio  # and "notes", like secret
    assert titles(client.get(album).text, urls) == sees


@pytest.mark.parametrize(
    "viewer, status",
    [("anonymous", 404), ("stranger", 404), ("troll", 404), ("fan", 200), ("ana", 200)],
)
def test_a_followers_only_work_page_is_there_for_followers_alone(gallery, viewer, status):
    _, urls, _, viewers, _ = gallery
    response = viewers[viewer].get(httpx.URL(urls["secret"]).path)
    assert response.status_code == status
    if status == 200:
        assert "secret study" in response.text
        assert response.headers["cache-control"] == "private, no-store"


def test_a_blocked_member_sees_none_of_the_artists_works_anywhere(gallery):
    _, urls, _, viewers, _ = gallery
    troll, stranger = viewers["troll"], viewers["stranger"]
    dawn = httpx.URL(urls["dawn"]).path
    assert troll.get(dawn).status_code == 404 and stranger.get(dawn).status_code == 200
    assert titles(troll.get("/tags/ink").text, urls) == set()
    assert titles(troll.get("/").text, urls) == set()
    # Tag pages and the instance's front page list public works only, whoever looks.
    for client in (viewers["anonymous"], stranger, viewers["fan"]):
        assert titles(client.get("/tags/ink").text, urls) == {"dawn"}
        assert titles(client.get("/").text, urls) == {"dawn"}


def replies(page: str) -> set[str]:
    return set(re.findall(r"(ugly|lovely) reply", page))


def test_the_replies_under_a_work_leave_out_the_blocked(gallery):
    _, urls, _, viewers, _ = gallery
    dawn = httpx.URL(urls["dawn"]).path
    assert replies(viewers["anonymous"].get(dawn).text) == {"ugly", "lovely"}
    assert replies(viewers["stranger"].get(dawn).text) == {"ugly", "lovely"}
    assert replies(viewers["ana"].get(dawn).text) == {"lovely"}  # she blocks troll


@pytest.mark.parametrize(
    "viewer, covered", [("anonymous", False), ("stranger", False), ("fan", True)]
)
def test_an_albums_cover_is_a_work_the_viewer_may_see(gallery, viewer, covered):
    _, _, _, viewers, private = gallery
    page = viewers[viewer].get("/@ana").text
    [item] = re.findall(rf'<li><a href="[^"]*{re.escape(private)}">(.*?)</a></li>', page)
    assert ("<img" in item) is covered and "Studio notes" in item
    assert ("notes study" in viewers[viewer].get(private).text) is covered
