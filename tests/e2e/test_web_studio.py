"""An artist's work on the web, over real HTTP against a running instance: uploading a work of
several images with alt text, its page, the portfolio, editing, pinning, albums, deleting; and
how each new thing federates (AS2 documents read as a peer reads them)."""

from __future__ import annotations

import re

import httpx
import pytest

from activitypub.vocab import AS_JSON
from tests.conftest import artwork
from tests.e2e.crafted import signed_get
from tests.web_client import add_member, signed_in, submit

AS = {"Accept": AS_JSON}


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("studio")
    add_member(instance, "ines")
    add_member(instance, "olu")
    return instance


def upload(client, images, **fields):
    """Post the upload form: `images` is [(bytes, alt)] in order; returns the response."""
    files = {
        f"image{n}": (f"p{n}.jpg", data, "image/jpeg") for n, (data, _) in enumerate(images, 1)
    }
    data = {f"alt{n}": alt for n, (_, alt) in enumerate(images, 1)}
    data.update(fields)
    return submit(client, "/upload", "/upload", data=data, files=files)


def post_id_of(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def img_srcs(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page)


def test_a_work_of_three_images_keeps_their_order_alt_text_and_makes_thumbnails(site):
    client = signed_in(site, "ines")
    images = [(artwork(400, 300, seed=s), f"study number {s}") for s in (3, 5, 7)]
    response = upload(
        client, images, title="Three studies", description="Ink on paper.", tags="#ink sketch"
    )
    post_id = post_id_of(response)
    rows = site.query(
        "SELECT position, description, file_name, thumb_file, original_file, width, height, "
        "thumb_width, blurhash FROM media_attachments WHERE post_id = ? ORDER BY position",
        post_id,
    )
    assert [r[1] for r in rows] == ["study number 3", "study number 5", "study number 7"]
    for _, _, file_name, thumb, original, width, height, thumb_width, blurhash in rows:
        assert file_name and thumb and original and blurhash
        assert (width, height) == (400, 300) and thumb_width == 400  # never scaled up
    page = httpx.get(f"{site.base_url}/@ines/{post_id}")
    assert page.status_code == 200
    assert "Three studies" in page.text and "Ink on paper." in page.text
    assert [alt for _, alt in img_srcs(page.text)] == [a for _, a in images]
    assert 'href="/tags/ink"' in page.text.replace(site.base_url, "")
    # Thumbnails are served; the artist's originals never are.
    assert httpx.get(f"{site.base_url}/media/{rows[0][3]}").status_code == 200
    private = httpx.get(f"{site.base_url}/media/{rows[0][4]}")
    assert private.status_code == 404
    # The portfolio shows the work once, by its cover's thumbnail, with its image count.
    portfolio = httpx.get(f"{site.base_url}/@ines").text
    assert f"/media/{rows[0][3]}" in portfolio and "3 images" in portfolio


def test_an_upload_without_alt_text_is_refused_and_stores_nothing(site):
    client = signed_in(site, "ines")
    before = site.query("SELECT count(*) FROM posts")[0][0]
    response = upload(client, [(artwork(seed=11), "a hill"), (artwork(seed=12), "  ")])
    assert response.status_code == 400
    assert "image 2 has no alt text" in response.text
    assert site.query("SELECT count(*) FROM posts")[0][0] == before
    # What was typed comes back, so nothing is lost but the files.
    assert 'value="a hill"' in response.text or ">a hill<" in response.text


def test_an_upload_from_another_site_or_without_a_session_changes_nothing(site):
    client = signed_in(site, "ines")
    before = site.query("SELECT count(*) FROM posts")[0][0]
    files = {"image1": ("x.jpg", artwork(seed=2), "image/jpeg")}
    page = client.get("/upload").text
    token = re.search(r'action="/upload".*?name="csrf" value="([^"]+)"', page, re.S).group(1)
    forged = client.post("/upload", data={"csrf": "forged", "alt1": "x"}, files=files)
    assert forged.status_code == 403
    cross = client.post(
        "/upload",
        data={"csrf": token, "alt1": "x"},
        files=files,
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    anonymous = httpx.post(f"{site.base_url}/upload", data={"alt1": "x"}, files=files)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert site.query("SELECT count(*) FROM posts")[0][0] == before


def test_a_long_work_federates_four_images_and_a_link_with_alt_as_name_and_summary(site):
    client = signed_in(site, "olu")
    images = [(artwork(200, 150, seed=20 + n), f"panel {n}") for n in range(1, 7)]
    post_id = post_id_of(
        upload(client, images, title="Six panels", tags="comic", content_warning="eye strain")
    )
    note = httpx.get(f"{site.base_url}/users/olu/statuses/{post_id}", headers=AS).json()
    assert [a["name"] for a in note["attachment"]] == ["panel 1", "panel 2", "panel 3", "panel 4"]
    assert [a["summary"] for a in note["attachment"]] == [a["name"] for a in note["attachment"]]
    assert all(a["width"] == 200 and a["blurhash"] for a in note["attachment"])
    assert "See all 6 images" in note["content"] and note["url"] in note["content"]
    assert "<strong>Six panels</strong>" in note["content"]
    assert note["summary"] == "eye strain" and note["sensitive"] is True
    assert note["tag"] == [
        {"type": "Hashtag", "name": "#comic", "href": f"{site.base_url}/tags/comic"}
    ]
    # The page has all six, behind the content warning, with blurred previews.
    page = httpx.get(note["url"]).text
    assert page.count('class="work-image"') == 6
    assert '<details class="cw">' in page and "Content warning: eye strain" in page
    assert page.count('class="blurred"') == 6


def test_editing_a_work_changes_its_page_and_sends_an_update(site):
    client = signed_in(site, "ines")
    post_id = post_id_of(upload(client, [(artwork(seed=31), "old alt")], title="Old"))
    response = submit(
        client,
        f"/works/{post_id}/edit",
        f"/works/{post_id}/edit",
        data={
            "title": "New title",
            "description": "Line one\nline two",
            "tags": "paint",
            "content_warning": "",
            "alt1": "new alt",
        },
    )
    assert response.status_code == 303
    page = httpx.get(f"{site.base_url}/@ines/{post_id}").text
    assert "New title" in page and "new alt" in page and "old alt" not in page
    assert "Line one<br>line two" in page
    updates = site.query("SELECT body FROM outbound_activities WHERE kind = 'Update'")
    assert any(f"/statuses/{post_id}" in body and "New title" in body for (body,) in updates)
    # Someone else's work cannot be edited.
    other = signed_in(site, "olu")
    assert other.get(f"/works/{post_id}/edit").status_code == 404


def test_pinned_works_come_first_and_form_the_featured_collection(site):
    client = signed_in(site, "ines")
    first = post_id_of(upload(client, [(artwork(seed=41), "older")], title="Pin me"))
    post_id_of(upload(client, [(artwork(seed=42), "newer")], title="Newest"))
    response = submit(client, f"/works/{first}/edit", f"/works/{first}/pin", data={"pinned": "1"})
    assert response.status_code == 303
    portfolio = httpx.get(f"{site.base_url}/@ines").text
    pinned_at = portfolio.index("Pinned")
    assert pinned_at < portfolio.index("Pin me") < portfolio.index("Works")
    featured = httpx.get(f"{site.base_url}/users/ines/collections/featured", headers=AS).json()
    assert [n["id"] for n in featured["orderedItems"]] == [
        f"{site.base_url}/users/ines/statuses/{first}"
    ]
    adds = site.query("SELECT body FROM outbound_activities WHERE kind = 'Add'")
    assert any(f"/statuses/{first}" in b and "collections/featured" in b for (b,) in adds)
    submit(client, f"/works/{first}/edit", f"/works/{first}/pin", data={"pinned": "0"})
    featured = httpx.get(f"{site.base_url}/users/ines/collections/featured", headers=AS).json()
    assert featured["orderedItems"] == []


def test_an_album_keeps_the_order_it_is_given_on_its_page_and_as_a_collection(site):
    client = signed_in(site, "olu")
    response = submit(client, "/albums", "/albums", data={"title": "Sketchbook 2026"})
    album_id = int(response.headers["location"].rsplit("/", 1)[1])
    works = [
        post_id_of(
            upload(
                client,
                [(artwork(seed=50 + n), f"page {n}")],
                title=f"Page {n}",
                album=str(album_id),
            )
        )
        for n in range(1, 4)
    ]
    collection_url = f"{site.base_url}/users/olu/albums/{album_id}"
    items = httpx.get(collection_url, headers=AS).json()
    assert items["type"] == "OrderedCollection" and items["name"] == "Sketchbook 2026"
    assert items["orderedItems"] == [f"{site.base_url}/users/olu/statuses/{w}" for w in works]
    # Move the last page to the front, one place at a time.
    for _ in range(2):
        moved = submit(
            client,
            f"/albums/{album_id}",
            f"/albums/{album_id}/move",
            data={"post": str(works[2]), "offset": "-1"},
        )
        assert moved.status_code == 303
    items = httpx.get(collection_url, headers=AS).json()["orderedItems"]
    assert items == [f"{site.base_url}/users/olu/statuses/{w}" for w in (works[2], *works[:2])]
    page = httpx.get(f"{site.base_url}/@olu/albums/{album_id}").text
    assert page.index("Page 3") < page.index("Page 1") < page.index("Page 2")
    actor = httpx.get(f"{site.base_url}/users/olu", headers=AS).json()
    assert collection_url in actor["streams"]
    # An album of someone else cannot be arranged.
    other = signed_in(site, "ines")
    assert other.get(f"/albums/{album_id}").status_code == 404


def test_deleting_a_work_removes_its_page_and_files(site):
    client = signed_in(site, "olu")
    post_id = post_id_of(upload(client, [(artwork(seed=61), "to go")], title="Going"))
    [(file_name, thumb)] = site.query(
        "SELECT file_name, thumb_file FROM media_attachments WHERE post_id = ?", post_id
    )
    unconfirmed = submit(client, f"/works/{post_id}/edit", f"/works/{post_id}/delete", data={})
    assert unconfirmed.status_code == 400
    assert httpx.get(f"{site.base_url}/@olu/{post_id}").status_code == 200
    response = submit(
        client, f"/works/{post_id}/edit", f"/works/{post_id}/delete", data={"confirm": "yes"}
    )
    assert response.status_code == 303
    assert httpx.get(f"{site.base_url}/@olu/{post_id}").status_code == 410
    for name in (file_name, thumb):
        assert httpx.get(f"{site.base_url}/media/{name}").status_code == 404
        assert not (site.root / "data" / "media" / name).exists()


def test_after_an_edit_no_document_we_serve_carries_the_old_text(site):
    """Issue 23, item 2: every document about the work, unsigned and signed by a follower's
    server, is built from the work as it is now: its page, its Note, the Create at its id, each
    Update at its id, the outbox, the featured collection, the portfolio and the tag page."""
    client = signed_in(site, "ines")
    old = "Harbour at noon, rough draft"
    post_id = post_id_of(
        upload(client, [(artwork(seed=51), f"alt: {old}")], title=old, description=old, tags="quay")
    )
    submit(client, f"/works/{post_id}/edit", f"/works/{post_id}/pin", data={"pinned": "1"})
    note_id = f"{site.base_url}/users/ines/statuses/{post_id}"
    for n in (1, 2):  # two edits: two Update activities with ids of their own
        edited = submit(
            client,
            f"/works/{post_id}/edit",
            f"/works/{post_id}/edit",
            data={"title": f"Quay {n}", "description": f"Final {n}", "tags": "quay", "alt1": "x"},
        )
        assert edited.status_code == 303
    [(post_pk,)] = site.query("SELECT id FROM posts WHERE uri = ?", note_id)
    about = "SELECT uri FROM outbound_activities WHERE post_id = ? AND kind IN (?, ?)"
    activity_ids = [uri for (uri,) in site.query(about, post_pk, "Create", "Update")]
    assert len(activity_ids) == 3 and f"{note_id}/activity" in activity_ids
    documents = [
        note_id,
        *activity_ids,
        f"{site.base_url}/users/ines/outbox?page=1",
        f"{site.base_url}/users/ines/collections/featured",
    ]
    pages = [
        f"{site.base_url}/@ines/{post_id}",
        f"{site.base_url}/@ines",
        f"{site.base_url}/tags/quay",
    ]
    for url in documents:
        for response in (httpx.get(url, headers=AS), signed_get(url, site, "olu")):
            assert response.status_code == 200, (url, response.status_code)
            assert old not in response.text, url
            if url in activity_ids or url == note_id:
                assert "Final 2" in response.text, url
    for url in pages:
        page = httpx.get(url)
        assert page.status_code == 200 and old not in page.text, url
