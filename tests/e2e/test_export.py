"""The archive of an account (issue 26), made on one instance and imported on another: the
member asks for it on the web, a worker builds it in Mastodon's archive format while the page
shows its progress, a notice says it is ready, and the Mastodon import of a second instance
reads it back work by work, keeping every image, alt text, date, title, album and pin."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.conftest import artwork
from tests.instances import wait_for
from tests.web_client import PASSWORD, signed_in, submit


@pytest.fixture(scope="module")
def two(make_module_instance):
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in ((a, ("alice",)), (b, ("bea", "bob"))):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return a, b


def works(site, name: str) -> list[tuple]:
    """(title, description, date, alt texts, albums, pinned) of each work, oldest first."""
    rows = site.query(
        "SELECT p.id, p.title, p.content, p.published, p.pinned_at IS NOT NULL FROM posts p "
        "JOIN actors x ON x.id = p.author_id WHERE x.username = ? AND x.local = 1 "
        "AND p.deleted_at IS NULL ORDER BY p.published",
        name,
    )
    out = []
    for post_id, title, content, published, pinned in rows:
        alts = [a for (a,) in site.query(
            "SELECT description FROM media_attachments WHERE post_id = ? ORDER BY position",
            post_id)]  # fmt: skip
        albums = [t for (t,) in site.query(
            "SELECT a.title FROM albums a JOIN album_items i ON i.album_id = a.id "
            "WHERE i.post_id = ? ORDER BY a.title", post_id)]  # fmt: skip
        out.append((title, content, published[:19], alts, albums, pinned))
    return out


def test_an_archive_made_here_is_imported_there_work_by_work(two, tmp_path):
    a, b = two
    alice = signed_in(a, "alice")
    album = submit(alice, "/albums", "/albums", data={"title": "Sea"})
    album_id = album.headers["location"].rsplit("/", 1)[1]
    for n in (1, 2, 3):
        (tmp_path / f"{n}.png").write_bytes(artwork(200, 150, seed=40 + n, fmt="PNG"))
    a.cli("post", "alice", "--title", "Harbour", "--text", "Oil on board",
          "--image", str(tmp_path / "1.png"), "--alt", "boats in a grey harbour",
          "--image", str(tmp_path / "2.png"), "--alt", "the harbour wall at dusk",
          "--album", album_id)  # fmt: skip
    a.cli("post", "alice", "--title", "Study", "--text", "Pencil",
          "--image", str(tmp_path / "3.png"), "--alt", "a pencil study of a gull")  # fmt: skip
    [(harbour,)] = a.query("SELECT id FROM posts WHERE title = 'Harbour'")
    edit = f"/works/{harbour}/edit"
    # Harbour is in a second album too.
    second = submit(alice, "/albums", "/albums", data={"title": "Favourites"})
    both = [album_id, second.headers["location"].rsplit("/", 1)[1]]
    edited = submit(alice, edit, edit, data={
        "title": "Harbour", "description": "Oil on board", "alt1": "boats in a grey harbour",
        "alt2": "the harbour wall at dusk", "albums": both})  # fmt: skip
    assert edited.status_code == 303
    assert submit(alice, edit, f"/works/{harbour}/pin", data={"pinned": "1"}).status_code == 303
    a.cli("follow", "alice", f"bob@{b.domain}")

    asked = submit(alice, "/settings/export", "/settings/export", data={"originals": "yes"})
    assert asked.status_code == 303
    wait_for(lambda: "download the archive" in alice.get("/settings/export").text,
             timeout=60, what="the archive to be made")  # fmt: skip
    assert "The archive of your account is ready" in alice.get("/notifications").text
    download = alice.get("/settings/export/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert download.headers["content-disposition"].startswith("attachment; filename=alice-")
    archive = tmp_path / "alice.zip"
    archive.write_bytes(download.content)
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        outbox = json.loads(z.read("outbox.json"))
        assert json.loads(z.read("actor.json"))["preferredUsername"] == "alice"
        assert f"bob@{b.domain}" in z.read("following_accounts.csv").decode()
    expected = {"actor.json", "outbox.json", "cara_fed.json", "following_accounts.csv",
                "blocked_accounts.csv", "muted_accounts.csv", "blocked_domains.csv"}  # fmt: skip
    assert expected <= names
    assert len([n for n in names if n.startswith("media_attachments/files/")]) == 3
    assert len([n for n in names if n.startswith("originals/")]) == 3
    assert [item["type"] for item in outbox["orderedItems"]] == ["Create", "Create"]
    a.cli("user", "add", "ann", "--password-stdin", stdin=PASSWORD + "\n")
    assert signed_in(a, "ann").get("/settings/export/download").status_code == 404  # not hers

    out = b.cli("import", "mastodon", "bea", str(archive)).stdout
    assert "2 drafts from 2 posts" in out
    b.cli("import", "publish", "bea", "--all")
    assert works(b, "bea") == works(a, "alice")
    assert [w[0] for w in works(b, "bea")] == ["Harbour", "Study"]
    assert works(b, "bea")[0][4:] == (["Favourites", "Sea"], 1)
