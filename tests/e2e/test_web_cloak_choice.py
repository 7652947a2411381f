"""The artist decides how strong a cloak and sees it, between two running instances over real
HTTP with the real cloak (two steps a job): the strength chosen on the upload form reaches the
job and the cloak's report; an artist who checks first keeps the work unseen and unsent until
they press Publish on its cloak page, which shows the published image beside their original
(to them only); a new strength on a published work reaches a follower as an Update with the
new image; turning the cloak off publishes the clean rendition. Bad requests change nothing."""

from __future__ import annotations

import io
import json
import re

import httpx
import pytest
from PIL import Image

from cloak.xmp import DMI_PROHIBITED_AIML
from tests.conftest import artwork
from tests.e2e.test_cloak_publishing import FAST_CLOAK, JOB_TIMEOUT, decoded, xmp_of
from tests.e2e.test_web_work_images import media_ids, post_id_of, upload, uri_of
from tests.instances import wait_for
from tests.web_client import add_member, form_token, signed_in, submit

AS = {"Accept": "application/activity+json"}


@pytest.fixture(scope="module")
def two(make_module_instance):
    """Reader rui on A follows artist ana on B, who checks her cloaks before they publish;
    ben is another member of B."""
    a = make_module_instance("reader")
    b = make_module_instance("artist", cloak_config=FAST_CLOAK)
    add_member(a, "rui")
    add_member(b, "ana")
    add_member(b, "ben")
    b.cli("user", "edit", "ana", "--cloak-review")
    rui = signed_in(a, "rui")
    assert submit(rui, "/home", "/follow", data={"account": f"ana@{b.domain}"}).status_code == 303
    wait_for(
        lambda: a.query("SELECT state FROM follows") == [("accepted",)], what="ana to accept rui"
    )
    return a, b


def remote_images(reader, uri: str) -> list[tuple[str, str]]:
    """(url, sha256) of each image of the post `uri` as the reader's server stored it."""
    return reader.query(
        "SELECT m.remote_url, m.sha256 FROM media_attachments m JOIN posts p ON p.id = m.post_id "
        "WHERE p.uri = ? ORDER BY m.position",
        uri,
    )


def jobs(instance, post_id: int) -> list[tuple[str, str | None]]:
    return instance.query(
        "SELECT j.state, j.strength FROM cloak_jobs j "
        "JOIN media_attachments m ON m.id = j.attachment_id WHERE m.post_id = ? ORDER BY j.id",
        post_id,
    )


def sent(instance, kind: str, uri: str) -> int:
    """How many activities of this kind about the post `uri` the instance has sent."""
    [(count,)] = instance.query(
        "SELECT count(*) FROM outbound_activities WHERE kind = ? AND instr(body, ?) > 0",
        kind,
        f'"{uri}"',
    )
    return count


def choose(client, post_id: int, strength: str):
    """The cloak form of the work's edit page."""
    return submit(
        client, f"/works/{post_id}/edit", f"/works/{post_id}/cloak", {"cloak_strength": strength}
    )


def report_of(instance, post_id: int) -> dict:
    [(report,)] = instance.query(
        "SELECT cloak_report FROM media_attachments WHERE post_id = ?", post_id
    )
    return json.loads(report)


def cloak_done(instance, post_id: int) -> bool:
    states = instance.query("SELECT cloak_state FROM media_attachments WHERE post_id = ?", post_id)
    return bool(states) and all(s == "done" for (s,) in states)


def test_bad_cloak_choices_are_refused_and_change_nothing(two):
    _, b = two
    ana, ben = signed_in(b, "ana"), signed_in(b, "ben")
    # The upload form offers the four choices, the artist's (the instance's) first.
    form = ana.get("/upload").text
    for name in ("off", "low", "default", "strong"):
        assert f'name="cloak_strength" value="{name}"' in form
    assert 'value="default" checked' in form
    refused = upload(ana, [(artwork(80, 60, seed=1), "x")], cloak_strength="extreme")
    assert refused.status_code == 400
    assert "the cloak must be one of off, low, default, strong, not &#39;extreme&#39;" in (
        refused.text
    )
    assert b.query("SELECT count(*) FROM posts") == [(0,)]

    # Off: published at once, as before, with no job.
    post_id = post_id_of(upload(ana, [(artwork(80, 60, seed=2), "plain")], cloak_strength="off"))
    assert b.query("SELECT cloak_pending, cloak_strength FROM posts") == [(0, "off")]
    assert jobs(b, post_id) == []
    before = b.query("SELECT file_name, sha256 FROM media_attachments")

    response = choose(ana, post_id, "extreme")
    assert response.status_code == 400 and "not &#39;extreme&#39;" in response.text
    token = form_token(ana.get(f"/works/{post_id}/edit").text, f"/works/{post_id}/cloak")
    forged = ana.post(f"/works/{post_id}/cloak", data={"csrf": "forged", "cloak_strength": "low"})
    assert forged.status_code == 403
    cross = ana.post(
        f"/works/{post_id}/cloak",
        data={"csrf": token, "cloak_strength": "low"},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert cross.status_code == 403
    # Another member: the page, its images and its forms do not exist for them.
    [media_id] = media_ids(b, post_id)
    ben_token = form_token(ben.get("/upload").text, "/upload")
    assert ben.get(f"/works/{post_id}/cloak").status_code == 404
    assert ben.get(f"/works/{post_id}/cloak/{media_id}/original").status_code == 404
    refused = ben.post(f"/works/{post_id}/cloak", data={"csrf": ben_token, "cloak_strength": "low"})
    assert refused.status_code == 404
    assert ben.post(f"/works/{post_id}/cloak/publish", data={"csrf": ben_token}).status_code == 404
    assert httpx.get(f"{b.base_url}/works/{post_id}/cloak/{media_id}/original").status_code == 404
    assert b.query("SELECT file_name, sha256 FROM media_attachments") == before
    assert b.query("SELECT cloak_strength FROM posts") == [("off",)]
    assert jobs(b, post_id) == []
    b.cli("delete", "ana", uri_of(b, post_id))


def test_the_cli_posts_with_a_strength(make_instance, tmp_path):
    """No server runs here: the job is queued and looked at, never run."""
    site = make_instance("queue-only", cloak_config=FAST_CLOAK, start=False)
    site.cli("user", "add", "cleo")
    picture = tmp_path / "work.jpg"
    picture.write_bytes(artwork(80, 60, seed=3))
    site.cli("user", "edit", "cleo", "--cloak-review")
    posted = site.cli(
        "post", "cleo", "--image", str(picture), "--alt", "x", "--cloak-strength", "strong"
    )
    assert site.query("SELECT cloak_strength, cloak_pending FROM posts") == [("strong", 1)]
    [(post_id,)] = site.query("SELECT id FROM posts")
    assert f"check the cloak and publish it at {site.base_url}/works/{post_id}/cloak" in (
        posted.stderr
    )
    listing = json.loads(site.cli("cloak-jobs", "--json").stdout)
    assert [(job["state"], job["strength"]) for job in listing] == [("pending", "strong")]
    assert site.query("SELECT state, strength FROM cloak_jobs") == [("pending", "strong")]
    refused = site.cli(
        "post", "cleo", "--image", str(picture), "--alt", "x", "--no-cloak",
        "--cloak-strength", "low", check=False,
    )  # fmt: skip
    assert refused.returncode == 1 and "contradicts" in refused.stderr
    quick = site.cli(
        "post", "cleo", "--image", str(picture), "--alt", "x", "--cloak-strength", "off"
    )
    assert "being cloaked" not in quick.stderr
    assert site.query("SELECT count(*) FROM cloak_jobs") == [(1,)]


def test_checking_the_cloak_first_then_publishing(two):
    a, b = two
    ana, ben = signed_in(b, "ana"), signed_in(b, "ben")
    response = upload(ana, [(artwork(200, 150, seed=7), "a checked study")], cloak_strength="low")
    assert response.headers["location"].endswith("/cloak")
    post_id = post_id_of(response)
    uri = uri_of(b, post_id)
    [(url,)] = b.query("SELECT url FROM posts WHERE id = ?", post_id)
    assert b.query("SELECT cloak_strength FROM posts WHERE id = ?", post_id) == [("low",)]
    assert jobs(b, post_id) == [("pending", "low")]
    wait_for(lambda: cloak_done(b, post_id), JOB_TIMEOUT, 1.0, "the cloak")
    assert report_of(b, post_id)["strength"] == "low"

    # Done, but not published: unseen here, nothing sent.
    assert b.query("SELECT cloak_pending FROM posts WHERE id = ?", post_id) == [(1,)]
    assert httpx.get(url).status_code == 404
    assert httpx.get(uri, headers=AS).status_code == 404
    assert sent(b, "Create", uri) == 0
    # Ana is told (Cara tells its artists when a protected image is ready); the notice leads
    # to the cloak page, and "Mark all read" clears the count in the navigation.
    told = ana.get("/notifications").text
    assert f'<a href="/works/{post_id}/cloak">look at them and publish</a>' in told
    assert re.search(r"<strong>New:</strong>\s+The protected images of", told)
    assert re.search(r'href="/notifications"[^>]*>Notifications \(\d+ new\)', told)
    assert submit(ana, "/notifications", "/notifications/read").status_code == 303
    told = ana.get("/notifications").text
    assert "New:" not in told
    assert 'href="/notifications" aria-current="page">Notifications</a>' in told
    # Ana finds it on her portfolio, under "Not public yet"; nobody else does.
    assert f'href="/works/{post_id}/cloak"' in ana.get("/@ana").text
    assert f"/works/{post_id}" not in ben.get("/@ana").text
    assert f"/works/{post_id}" not in httpx.get(f"{b.base_url}/@ana").text

    # The cloak page, to ana: both images, both crops, measured in words.
    page = ana.get(f"/works/{post_id}/cloak")
    assert page.status_code == 200
    assert "Nobody else can see this work until you publish it" in page.text
    assert "Cloaked at low strength." in page.text and "PSNR" in page.text
    [media_id] = media_ids(b, post_id)
    [(original_file, file_name)] = b.query(
        "SELECT original_file, file_name FROM media_attachments WHERE id = ?",
        media_id,
    )
    base = f"/works/{post_id}/cloak/{media_id}"
    for kind, path in (("original", original_file), ("published", file_name)):
        served = ana.get(f"{base}/{kind}")
        assert served.status_code == 200, kind
        assert served.headers["cache-control"] == "no-store"
        assert served.content == (b.root / "data" / "media" / path).read_bytes()
        assert f'src="{base}/{kind}"' in page.text
        zoomed = ana.get(f"{base}/{kind}-zoom")
        assert zoomed.status_code == 200 and zoomed.headers["cache-control"] == "no-store"
        crop = Image.open(io.BytesIO(zoomed.content))
        assert crop.size == (3 * 128, 3 * 128)  # the flattest 128-pixel square, 3×
    # The crops differ (the cloak changed pixels), by little.
    one = Image.open(io.BytesIO(ana.get(f"{base}/original-zoom").content)).convert("RGB")
    two_ = Image.open(io.BytesIO(ana.get(f"{base}/published-zoom").content)).convert("RGB")
    assert one.tobytes() != two_.tobytes()
    # Nobody else: not another member, not a visitor, not the public media route.
    assert ben.get(f"/works/{post_id}/cloak").status_code == 404
    for kind in ("original", "published", "original-zoom"):
        assert ben.get(f"{base}/{kind}").status_code == 404
        assert httpx.get(f"{b.base_url}{base}/{kind}").status_code == 404
    assert httpx.get(f"{b.base_url}/media/{file_name}").status_code == 404
    assert httpx.get(f"{b.base_url}/works/{post_id}/cloak").status_code == 303  # sign in

    # Cloak again at another strength: a new job at that strength replaces the old. (Strong:
    # with two steps, low and default move each pixel by the same 0.5/255 a step.)
    again = submit(
        ana, f"/works/{post_id}/cloak", f"/works/{post_id}/cloak", {"cloak_strength": "strong"}
    )
    assert again.status_code == 303
    assert jobs(b, post_id) == [("done", "low"), ("pending", "strong")]
    page = ana.get(f"/works/{post_id}/cloak").text
    assert "being cloaked" in page and f'action="/works/{post_id}/cloak/publish"' not in page
    token = form_token(page, f"/works/{post_id}/cloak")
    refused = ana.post(f"/works/{post_id}/cloak/publish", data={"csrf": token})
    assert refused.status_code == 400 and "still being cloaked" in refused.text
    wait_for(lambda: cloak_done(b, post_id), JOB_TIMEOUT, 1.0, "the second cloak")
    assert report_of(b, post_id)["strength"] == "strong"
    again = ana.get("/notifications").text
    assert re.search(r"<strong>New:</strong>\s+The protected images of", again)
    assert not (b.root / "data" / "media" / file_name).exists(), "the first cloak's file went"
    assert httpx.get(url).status_code == 404
    assert sent(b, "Create", uri) == 0

    published = submit(ana, f"/works/{post_id}/cloak", f"/works/{post_id}/cloak/publish")
    assert published.status_code == 303 and published.headers["location"] == url
    assert httpx.get(url).status_code == 200
    assert f'href="/works/{post_id}/cloak"' not in ana.get("/@ana").text
    note = httpx.get(uri, headers=AS).json()
    assert note["attachment"][0]["name"] == "a checked study"
    wait_for(lambda: remote_images(a, uri), what="the Create on rui's server")
    assert sent(b, "Create", uri) == 1


def test_a_new_cloak_of_a_published_work_reaches_followers(two):
    a, b = two
    ana = signed_in(b, "ana")
    post_id = post_id_of(
        upload(ana, [(artwork(160, 120, seed=9), "plain first")], cloak_strength="off")
    )
    uri = uri_of(b, post_id)
    [(clean_url, clean_sha)] = wait_for(lambda: remote_images(a, uri), what="the work on A")
    [(clean_file,)] = b.query("SELECT file_name FROM media_attachments WHERE post_id = ?", post_id)
    page = ana.get(f"/works/{post_id}/edit").text
    assert 'id="edit-cloak-off" name="cloak_strength" value="off" checked' in page

    assert choose(ana, post_id, "strong").status_code == 303
    assert jobs(b, post_id) == [("pending", "strong")]
    # While it is cloaked, the clean image stays.
    assert httpx.get(f"{b.base_url}/media/{clean_file}").status_code == 200
    assert httpx.get(uri, headers=AS).json()["attachment"][0]["url"].endswith(clean_file)
    wait_for(lambda: cloak_done(b, post_id), JOB_TIMEOUT, 1.0, "the new cloak")
    [(cloaked_url, cloaked_sha)] = wait_for(
        lambda: [r for r in remote_images(a, uri) if r[1] != clean_sha],
        what="the Update with the cloaked image on A",
    )
    assert cloaked_url != clean_url
    [(file_name,)] = b.query("SELECT file_name FROM media_attachments WHERE post_id = ?", post_id)
    assert report_of(b, post_id)["strength"] == "strong"
    assert not (b.root / "data" / "media" / clean_file).exists(), "the old rendition went"
    assert httpx.get(f"{b.base_url}/media/{clean_file}").status_code == 404
    edit = ana.get(f"/works/{post_id}/edit").text
    assert "Cloaked at strong strength." in edit and "Changed pixels by at most" in edit
    [(url,)] = b.query("SELECT url FROM posts WHERE id = ?", post_id)
    public = httpx.get(url)
    assert public.status_code == 200 and "Changed pixels" not in public.text, "the owner's only"
    assert "Changed pixels" not in ana.get(url).text

    # Off again: the clean rendition, at once, and followers get it.
    assert choose(ana, post_id, "off").status_code == 303
    assert b.query(
        "SELECT cloak_state, cloak_report FROM media_attachments WHERE post_id = ?", post_id
    ) == [("none", None)]
    # Made again from the private original, as an uncloaked upload is.
    [(sha,)] = b.query("SELECT sha256 FROM media_attachments WHERE post_id = ?", post_id)
    assert sha != cloaked_sha
    wait_for(
        lambda: [sha for _, sha in remote_images(a, uri)] == [sha], what="the clean image on A"
    )
    assert not (b.root / "data" / "media" / file_name).exists()
    served = httpx.get(httpx.get(uri, headers=AS).json()["attachment"][0]["url"])
    assert served.status_code == 200
    assert DMI_PROHIBITED_AIML in xmp_of(decoded(served.content)), "with the rights XMP"
    assert sent(b, "Update", uri) == 2 and sent(b, "Create", uri) == 1
