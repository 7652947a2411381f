"""Changing a published work's images on its edit page, between two running instances over
real HTTP: reorder, remove, add and replace images; each change shows on the work's page and
reaches a follower's server as an Update(Note), which it applies. Bad requests change
nothing. Alt text is required unless the artist (or the instance) makes it optional. An image
added to a cloaked work stays hidden until the real cloak has run on it."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import artwork
from tests.e2e.test_cloak_publishing import FAST_CLOAK, JOB_TIMEOUT
from tests.instances import wait_for
from tests.web_client import add_member, form_token, signed_in, submit


@pytest.fixture(scope="module")
def two(make_module_instance):
    """Reader rui on A follows artist ana on B."""
    a = make_module_instance("reader")
    b = make_module_instance("artist")
    add_member(a, "rui")
    add_member(b, "ana")
    add_member(b, "ben")
    rui = signed_in(a, "rui")
    assert submit(rui, "/home", "/follow", data={"account": f"ana@{b.domain}"}).status_code == 303
    wait_for(
        lambda: a.query("SELECT state FROM follows") == [("accepted",)], what="ana to accept rui"
    )
    return a, b


def slots(images) -> tuple[dict, dict]:
    """The form fields of image slots 1..n: `images` is [(bytes, alt)] in order."""
    files = {f"image{n}": (f"p{n}.png", data, "image/png") for n, (data, _) in enumerate(images, 1)}
    return {f"alt{n}": alt for n, (_, alt) in enumerate(images, 1)}, files


def upload(client, images, **fields):
    data, files = slots(images)
    return submit(client, "/upload", "/upload", data=data | fields, files=files)


def add_images(client, post_id: int, images, *, through=None):
    """The edit page's "add images" form (`through=forced`: even where the page has none)."""
    data, files = slots(images)
    return (through or change)(client, post_id, f"/works/{post_id}/images/add", data, files)


def post_id_of(response) -> int:
    """The work an upload made: it answers with the work's page, or its cloak page
    (/works/ID/cloak) while the images are being cloaked."""
    assert response.status_code == 303, response.text
    return int(re.search(r"/(\d+)(?:/cloak)?$", response.headers["location"]).group(1))


def alts_on_page(client, post_id: int, who: str = "ana") -> list[str]:
    page = client.get(f"/@{who}/{post_id}")
    assert page.status_code == 200
    return re.findall(r'<figure class="work-image">\s*<img src="[^"]+" alt="([^"]*)"', page.text)


def media_ids(instance, post_id: int) -> list[int]:
    return [
        r[0]
        for r in instance.query(
            "SELECT id FROM media_attachments WHERE post_id = ? ORDER BY position", post_id
        )
    ]


def remote_alts(reader, post_uri: str) -> list[str]:
    return [
        r[0]
        for r in reader.query(
            "SELECT m.description FROM media_attachments m JOIN posts p ON p.id = m.post_id "
            "WHERE p.uri = ? ORDER BY m.position",
            post_uri,
        )
    ]


def uri_of(instance, post_id: int) -> str:
    return instance.query("SELECT uri FROM posts WHERE id = ?", post_id)[0][0]


def change(client, post_id: int, action: str, data=None, files=None):
    """Post the edit page's form for `action` (which the page must show)."""
    return submit(client, f"/works/{post_id}/edit", action, data=data, files=files)


def forced(client, post_id: int, action: str, data=None, files=None):
    """Post to `action` with a valid token even where the page shows no such form."""
    token = form_token(client.get(f"/works/{post_id}/edit").text, f"/works/{post_id}/edit")
    return client.post(action, data={"csrf": token, **(data or {})}, files=files)


def test_reordering_removing_adding_and_replacing_images_reach_the_page_and_followers(two):
    a, b = two
    ana = signed_in(b, "ana")
    post_id = post_id_of(
        upload(ana, [(artwork(120, 90, seed=s), f"plate {s}") for s in (1, 2, 3)], title="Plates")
    )
    uri = uri_of(b, post_id)
    wait_for(lambda: len(remote_alts(a, uri)) == 3, what="the work on rui's server")
    first, second, third = media_ids(b, post_id)

    response = change(ana, post_id, f"/works/{post_id}/images/{third}/move", {"offset": "-1"})
    assert response.status_code == 303
    assert alts_on_page(ana, post_id) == ["plate 1", "plate 3", "plate 2"]
    wait_for(lambda: remote_alts(a, uri) == ["plate 1", "plate 3", "plate 2"], what="the new order")

    [(removed_file,)] = b.query("SELECT file_name FROM media_attachments WHERE id = ?", first)
    response = change(ana, post_id, f"/works/{post_id}/images/{first}/remove", {"confirm": "yes"})
    assert response.status_code == 303
    assert alts_on_page(ana, post_id) == ["plate 3", "plate 2"]
    assert httpx.get(f"{b.base_url}/media/{removed_file}").status_code == 404
    assert not b.has_media(removed_file)
    wait_for(lambda: remote_alts(a, uri) == ["plate 3", "plate 2"], what="the removal")

    added = [(artwork(100, 100, seed=s), f"plate {s}") for s in (4, 5)]
    response = add_images(ana, post_id, added)
    assert response.status_code == 303, response.text
    assert alts_on_page(ana, post_id) == ["plate 3", "plate 2", "plate 4", "plate 5"]
    wait_for(lambda: len(remote_alts(a, uri)) == 4, what="the added images")

    [(old_sha,)] = b.query("SELECT sha256 FROM media_attachments WHERE id = ?", second)
    response = change(
        ana,
        post_id,
        f"/works/{post_id}/images/{second}/replace",
        {"alt": ""},
        {"image": ("new.png", artwork(90, 120, seed=9), "image/png")},
    )
    assert response.status_code == 303
    rows = b.query(
        "SELECT description, sha256, width, height, position FROM media_attachments "
        "WHERE post_id = ? ORDER BY position",
        post_id,
    )
    # In the old one's place, with its alt text kept; a new file.
    assert rows[1][0] == "plate 2" and rows[1][1] != old_sha and rows[1][2:] == (90, 120, 1)
    assert [r[4] for r in rows] == [0, 1, 2, 3]
    wait_for(
        lambda: (
            a.query(
                "SELECT m.width FROM media_attachments m JOIN posts p ON p.id = m.post_id "
                "WHERE p.uri = ? ORDER BY m.position",
                uri,
            )
            == [(120,), (90,), (100,), (100,)]
        ),
        what="the replaced image on rui's server",
    )
    updates = b.query("SELECT count(*) FROM outbound_activities WHERE kind = 'Update'")[0][0]
    assert updates >= 4


def test_image_changes_refuse_bad_requests_and_change_nothing(two, tmp_path):
    _, b = two
    ana, ben = signed_in(b, "ana"), signed_in(b, "ben")
    post_id = post_id_of(upload(ana, [(artwork(80, 60, seed=21), "the only one")]))
    (only,) = media_ids(b, post_id)

    def state():
        return (
            b.query(
                "SELECT id, position, description, file_name FROM media_attachments "
                "WHERE post_id = ? ORDER BY position",
                post_id,
            ),
            sorted(b.media_names()),
            b.query("SELECT count(*) FROM outbound_activities")[0][0],
        )

    before = state()
    remove = f"/works/{post_id}/images/{only}/remove"
    unconfirmed = forced(ana, post_id, remove, {})
    assert unconfirmed.status_code == 400 and "tick the box" in unconfirmed.text
    assert f'action="{remove}"' not in ana.get(f"/works/{post_id}/edit").text
    last = forced(ana, post_id, remove, {"confirm": "yes"})
    assert last.status_code == 400 and "at least one image" in last.text
    moved = change(ana, post_id, f"/works/{post_id}/images/{only}/move", {"offset": "-1"})
    assert moved.status_code == 400 and "cannot move" in moved.text
    empty = change(ana, post_id, f"/works/{post_id}/images/add", {})
    assert empty.status_code == 400 and "at least one image" in empty.text
    not_image = add_images(ana, post_id, [(b"not an image at all", "a text file")])
    assert not_image.status_code == 400 and "image 1" in not_image.text
    no_alt = add_images(ana, post_id, [(artwork(50, 50, seed=22), "")])
    assert no_alt.status_code == 400 and "no alt text" in no_alt.text
    # Someone else's work: no such work for them.
    token = form_token(ben.get("/upload").text, "/upload")
    others = ben.post(remove, data={"csrf": token, "confirm": "yes"})
    assert others.status_code == 404
    forged = ana.post(remove, data={"csrf": "forged", "confirm": "yes"})
    assert forged.status_code == 403
    assert state() == before


def test_a_work_holds_at_most_twenty_images(two):
    _, b = two
    ana = signed_in(b, "ana")
    post_id = post_id_of(
        upload(ana, [(artwork(32, 32, seed=100 + s), f"tile {s}") for s in range(1, 9)])
    )

    def add(seeds):
        return add_images(
            ana, post_id, [(artwork(32, 32, seed=100 + s), f"tile {s}") for s in seeds]
        )

    assert add(range(9, 17)).status_code == 303
    assert add(range(17, 21)).status_code == 303
    assert len(media_ids(b, post_id)) == 20
    edit_page = ana.get(f"/works/{post_id}/edit").text
    assert f'action="/works/{post_id}/images/add"' not in edit_page
    assert "the 20 images a work can hold" in edit_page
    over = add_images(ana, post_id, [(artwork(32, 32, seed=121), "one more")], through=forced)
    assert over.status_code == 400 and "at most 20 images" in over.text
    assert len(media_ids(b, post_id)) == 20


def test_alt_text_is_required_unless_the_artist_makes_it_optional(two):
    _, b = two
    add_member(b, "cy")
    cy = signed_in(b, "cy")
    refused = upload(cy, [(artwork(60, 60, seed=31), "")])
    assert refused.status_code == 400 and "image 1 has no alt text" in refused.text
    settings = cy.get("/settings/profile").text
    assert re.search(r'name="require_alt_text" value="1" checked', settings)
    assert submit(cy, "/settings/profile", "/settings/profile", data={}).status_code == 303
    assert b.query("SELECT require_alt_text FROM actors WHERE username = 'cy'") == [(0,)]
    page = cy.get("/upload").text
    assert "Alt text (optional)" in page
    post_id = post_id_of(upload(cy, [(artwork(60, 60, seed=32), "")]))
    assert b.query("SELECT description FROM media_attachments WHERE post_id = ?", post_id) == [
        ("",)
    ]
    submit(cy, "/settings/profile", "/settings/profile", data={"require_alt_text": "1"})
    again = upload(cy, [(artwork(60, 60, seed=33), "")])
    assert again.status_code == 400 and "no alt text" in again.text


def test_an_instance_can_make_alt_text_optional_by_default(make_instance):
    site = make_instance("optional", media_config="require_alt_text = false")
    add_member(site, "dee")
    dee = signed_in(site, "dee")
    assert post_id_of(upload(dee, [(artwork(60, 60, seed=41), "")]))
    assert not re.search(
        r'name="require_alt_text" value="1" checked', dee.get("/settings/profile").text
    )
    # The CLI follows the same rule, and sets the artist's own choice.
    image = site.root / "plain.png"
    image.write_bytes(artwork(60, 60, seed=42))
    site.cli("post", "dee", "--image", str(image), "--alt", "")
    assert site.query("SELECT count(*) FROM posts")[0][0] == 2
    site.cli("user", "edit", "dee", "--require-alt-text")
    refused = site.cli("post", "dee", "--image", str(image), "--alt", " ", check=False)
    assert refused.returncode == 1 and "image 1 has no alt text" in refused.stderr
    assert site.query("SELECT count(*) FROM posts")[0][0] == 2


def test_an_image_added_to_a_cloaked_work_is_shown_and_sent_once_cloaked(make_instance):
    reader = make_instance("cloak-reader")
    artist = make_instance("cloak-artist", cloak_config=FAST_CLOAK)
    add_member(reader, "rui")
    add_member(artist, "ana")
    rui = signed_in(reader, "rui")
    assert (
        submit(rui, "/home", "/follow", data={"account": f"ana@{artist.domain}"}).status_code == 303
    )
    ana = signed_in(artist, "ana")
    post_id = post_id_of(upload(ana, [(artwork(96, 64, seed=51), "first, cloaked")]))
    uri = uri_of(artist, post_id)
    wait_for(lambda: remote_alts(reader, uri) == ["first, cloaked"], JOB_TIMEOUT, 1.0, "publish")
    response = add_images(ana, post_id, [(artwork(96, 64, seed=52), "second, cloaked")])
    assert response.status_code == 303
    [(state, file_name)] = artist.query(
        "SELECT cloak_state, file_name FROM media_attachments WHERE post_id = ? AND position = 1",
        post_id,
    )
    # Hidden while the cloak works: not on the page, not in the AS2 Note, not sent.
    assert state == "pending" and file_name is None
    assert alts_on_page(ana, post_id) == ["first, cloaked"]
    note = httpx.get(uri, headers={"Accept": "application/activity+json"}).json()
    assert [att["name"] for att in note["attachment"]] == ["first, cloaked"]
    assert "being cloaked" in ana.get(f"/works/{post_id}/edit").text
    wait_for(
        lambda: remote_alts(reader, uri) == ["first, cloaked", "second, cloaked"],
        JOB_TIMEOUT,
        1.0,
        "the cloaked image to reach rui's server",
    )
    assert alts_on_page(ana, post_id) == ["first, cloaked", "second, cloaked"]
    [(state, report)] = artist.query(
        "SELECT cloak_state, cloak_report FROM media_attachments WHERE post_id = ? "
        "AND position = 1",
        post_id,
    )
    assert state == "done" and report
