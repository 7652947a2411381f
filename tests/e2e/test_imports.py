"""Imports of a back catalogue (issue 25, part 1) against a running instance, from the CLI:
archives made here in the real shapes (an Instagram export with nested folders, a carousel,
mojibake captions, a video, a generated image and a missing file; a Mastodon archive; a
folder with a CSV), screened into drafts, published with their original dates, and pushed to
no follower. Bad archives are refused with their reason and leave nothing behind; an import
stopped midway resumes and never makes a work twice."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import artwork
from tests.fake_peer import FakePeer
from tests.inbox.screening import images as img
from tests.instances import wait_for
from tests.web_client import add_member, form_token, signed_in


def mojibake(text: str) -> str:
    """As Meta writes text: each UTF-8 byte as a Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def stamp(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, 12, tzinfo=UTC).timestamp())


GENERATED = img.png_with_text(
    img.photo("rocket").resize((200, 150)), parameters=img.A1111_PARAMETERS
)


def media(uri: str, when: int, title: str = "") -> dict:
    return {"uri": uri, "creation_timestamp": when, "title": title}


def instagram_export(path: Path) -> Path:
    carousel_date = stamp(2020, 1, 26)
    posts = [
        {"media": [media("media/posts/201905/ink.jpg", stamp(2019, 5, 4),
                         mojibake("Café study in ink ✒️ #ink #sketch"))]},
        {"title": mojibake("Carousel: étude in three parts"),
         "creation_timestamp": carousel_date,
         "media": [media("media/posts/202001/one.jpg", carousel_date),
                   media("media/posts/202001/two.png", carousel_date),
                   media("media/posts/202001/clip.mp4", carousel_date)]},
        {"media": [media("media/posts/202102/walk.mp4", stamp(2021, 2, 1), "a video only")]},
        {"media": [media("media/posts/202103/robot.png", stamp(2021, 3, 1), "not mine")]},
        {"media": [media("media/posts/202104/gone.jpg", stamp(2021, 4, 1), "lost")]},
    ]  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("your_instagram_activity/content/posts_1.json", json.dumps(posts))
        archive.writestr("media/posts/201905/ink.jpg", artwork(160, 120, seed=11))
        archive.writestr("media/posts/202001/one.jpg", artwork(160, 120, seed=12))
        archive.writestr("media/posts/202001/two.png", artwork(120, 160, seed=13, fmt="PNG"))
        archive.writestr("media/posts/202001/clip.mp4", b"\x00\x00\x00\x18ftypmp42")
        archive.writestr("media/posts/202102/walk.mp4", b"\x00\x00\x00\x18ftypmp42")
        archive.writestr("media/posts/202103/robot.png", GENERATED)
    return path


@pytest.fixture(scope="module")
def site(make_module_instance):
    site = make_module_instance("importer")
    add_member(site, "alice")
    add_member(site, "bob")
    peer = FakePeer().start()
    fan = peer.add_actor("fan")
    follow = {"@context": "https://www.w3.org/ns/activitystreams", "id": peer.new_id(fan),
              "type": "Follow", "actor": fan, "object": f"{site.base_url}/users/alice"}  # fmt: skip
    assert peer.send(fan, f"{site.base_url}/inbox", follow).status_code == 202
    wait_for(lambda: [r for r in peer.received if r.kind == "Accept"], what="alice's Accept")
    yield site, peer
    peer.stop()


def drafts(site, owner: str = "alice") -> list[tuple]:
    return site.query(
        "SELECT id, title, description, made_at, images, state, source_url FROM import_drafts "
        "WHERE owner_id = (SELECT id FROM actors WHERE local = 1 AND username = ?) "
        "ORDER BY made_at",
        owner,
    )


def test_an_instagram_export_becomes_drafts_with_a_report(site, tmp_path):
    site, _ = site
    export = instagram_export(tmp_path / "instagram.zip")
    result = site.cli("import", "instagram", "alice", str(export))
    out = result.stdout
    assert "5 posts found" in out
    assert "2 drafts from 5 posts, 3 not imported" in out, out
    assert "a video is not imported" in out  # the video-only post
    assert "robot.png was refused: generator: PNG 'parameters' chunk of AUTOMATIC1111" in out
    assert "media/posts/202104/gone.jpg is not in the archive" in out
    # The carousel is kept; its clip is named as left out of it.
    assert "left out of an imported post: the post of 2020-01-26 12:00" in out
    assert "clip.mp4: a video or other file, not an image; left out" in out
    rows = drafts(site)
    assert [(r[1], r[3][:10]) for r in rows] == [
        ("Café study in ink ✒️", "2019-05-04"),  # repaired, hashtags out of the title
        ("Carousel: étude in three parts", "2020-01-26"),  # the carousel's own caption
    ]
    assert len(json.loads(rows[1][4])) == 2  # its two images; the clip left out
    assert all(r[5] == "draft" for r in rows)
    # The refusal is on the moderation record, as an upload's is.
    assert site.query("SELECT origin, state FROM moderation_records") == [("local", "refused")]
    # Nothing is public yet: drafts are not works.
    assert site.query("SELECT count(*) FROM posts WHERE local = 1") == [(0,)]
    listed = site.cli("import", "drafts", "alice").stdout
    assert "2019-05-04\t1 images, 1 without alt text\tCafé study in ink ✒️" in listed


def test_drafts_are_their_artists_alone(site):
    """On the web: alice sees her drafts and their images; bob, and anyone not signed in,
    neither."""
    site, _ = site
    draft_id = drafts(site)[0][0]
    alice, bob = signed_in(site, "alice"), signed_in(site, "bob")
    page = alice.get("/drafts")
    assert page.status_code == 200 and "Café study in ink ✒️" in page.text
    image = alice.get(f"/drafts/{draft_id}/0")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.headers["cache-control"] == "private, no-store"
    assert bob.get(f"/drafts/{draft_id}/0").status_code == 404
    assert "Café" not in bob.get("/drafts").text
    assert httpx.get(f"{site.base_url}/drafts/{draft_id}/0").status_code == 303
    # Publishing someone else's draft is refused, and nothing is published.
    token = form_token(bob.get("/imports").text, "/imports")  # bob's session's own token
    refused = bob.post("/drafts", data={"csrf": token, "publish": str(draft_id)})
    assert refused.status_code == 400 and f"bob has no draft {draft_id}" in refused.text
    assert site.query("SELECT count(*) FROM posts WHERE local = 1") == [(0,)]


def test_an_upload_on_the_web_is_imported_by_a_worker(site, tmp_path):
    """The ZIP goes to data_dir/imports and a worker runs its import; a bad one is refused
    on the spot with its reason, and its file is not kept."""
    site, _ = site
    carol = signed_in(site, "bob")  # bob, with no drafts of his own yet
    token = form_token(carol.get("/imports").text, "/imports")
    bad = carol.post(
        "/imports",
        data={"csrf": token, "kind": "instagram"},
        files={"archive": ("notes.zip", b"not a zip at all", "application/zip")},
    )
    assert bad.status_code == 400 and "is not a ZIP archive" in bad.text
    assert not list((site.root / "data" / "imports").glob("*.zip"))
    folder = tmp_path / "upload.zip"
    with zipfile.ZipFile(folder, "w") as archive:
        archive.writestr("sketches/boat.jpg", artwork(seed=60))
    sent = carol.post(
        "/imports",
        data={"csrf": token, "kind": "folder"},
        files={"archive": ("upload.zip", folder.read_bytes(), "application/zip")},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/imports"
    wait_for(
        lambda: "finished: 1 of 1 posts imported" in carol.get("/imports").text,
        timeout=30,
        what="the worker to run the import",
    )
    assert "boat" in carol.get("/drafts").text
    assert "Your import finished" in carol.get("/notifications").text


def test_importing_again_makes_no_work_twice(site, tmp_path):
    site, _ = site
    export = instagram_export(tmp_path / "again.zip")
    out = site.cli("import", "instagram", "alice", str(export)).stdout
    assert "0 drafts from 5 posts, 5 not imported" in out
    assert out.count("already imported") == 2
    assert len(drafts(site)) == 2


def test_an_import_stopped_midway_resumes_where_it_stopped(site, tmp_path):
    site, _ = site
    folder = tmp_path / "scans"
    (folder / "2018").mkdir(parents=True)
    for n in range(3):
        (folder / "2018" / f"scan_{n}.jpg").write_bytes(artwork(100, 80, seed=30 + n))
    site.cli("import", "folder", "alice", str(folder))
    before = len(drafts(site))
    # As if the process died after the first post: the job is running, one post done, and
    # the draft of the second was never written.
    [(job,)] = site.query("SELECT max(id) FROM import_jobs")
    with sqlite3.connect(site.database) as db:
        db.execute("UPDATE import_jobs SET state = 'running', done = 1 WHERE id = ?", (job,))
        for _ in range(2):
            db.execute("DELETE FROM import_drafts WHERE id = (SELECT max(id) FROM import_drafts)")
    # The CLI resumes it, unless the running instance's worker, which takes over stopped
    # imports, got there first: either way it ends once, from post 2.
    out = site.cli("import", "resume", "alice").stdout
    if "resuming" in out:
        assert f"import {job}: resuming at post 2 of 3" in out
        assert "3 drafts from 3 posts, 0 not imported" in out  # one kept, two made again
    wait_for(
        lambda: (
            site.query("SELECT state, done FROM import_jobs WHERE id = ?", job) == [("done", 3)]
        ),
        what="the import to finish",
    )
    assert len(drafts(site)) == before


def test_publishing_drafts_keeps_their_dates_and_pushes_nothing(site):
    site, peer = site
    ids = [r[0] for r in drafts(site) if r[1].startswith(("Café", "Carousel"))]
    refused = site.cli("import", "publish", "alice", str(ids[0]), check=False)
    assert refused.returncode == 1 and "alt text" in refused.stderr
    assert site.query("SELECT count(*) FROM posts WHERE local = 1") == [(0,)]
    creates_before = len([r for r in peer.received if r.kind == "Create"])
    site.cli(
        "import", "publish", "alice", *map(str, ids),
        "--alt", f"{ids[0]}=an ink drawing of a café table",
        "--alt", f"{ids[1]}=first part, pencil", "--alt", f"{ids[1]}=second part, paint",
    )  # fmt: skip
    works = site.query(
        "SELECT uri, url, published, imported FROM posts WHERE local = 1 ORDER BY published"
    )
    assert [(w[2][:10], w[3]) for w in works] == [("2019-05-04", 1), ("2020-01-26", 1)]
    assert all(r[5] == "published" for r in drafts(site) if r[0] in ids)
    # The work page is up, with its alt text; the portfolio lists it by its date.
    page = httpx.get(works[0][1])
    assert page.status_code == 200 and "an ink drawing of a café table" in page.text
    # In the outbox, dated as it first appeared; pushed to no follower.
    outbox = httpx.get(
        f"{site.base_url}/users/alice/outbox?page=1",
        headers={"Accept": "application/activity+json"},
    ).json()
    published = {i["object"]["id"]: i["published"] for i in outbox["orderedItems"]}
    assert published[works[0][0]].startswith("2019-05-04")
    assert site.query("SELECT count(*) FROM deliveries") == [(1,)]  # alice's Accept only
    assert len([r for r in peer.received if r.kind == "Create"]) == creates_before


def mastodon_archive(path: Path, actor: str) -> Path:
    public = "https://www.w3.org/ns/activitystreams#Public"

    def create(n: int, **note) -> dict:
        status = f"{actor}/statuses/{n}"
        return {"id": f"{status}/activity", "type": "Create", "actor": actor,
                "published": f"2022-0{n}-01T10:00:00Z",
                "object": {"id": status, "url": f"https://masto.example/@ann/{n}",
                           "type": "Note", "published": f"2022-0{n}-01T10:00:00Z",
                           "to": [public], "cc": [f"{actor}/followers"],
                           "content": "<p>text</p>", **note}}  # fmt: skip

    image = {"type": "Document", "mediaType": "image/jpeg", "name": "a lighthouse at dusk",
             "url": "/media_attachments/files/110/000/001/original/light.jpg"}  # fmt: skip
    outbox = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json",
              "type": "OrderedCollection", "orderedItems": [
                  create(1, content="<p>Lighthouse <a href='x'>#gouache</a><br />dusk</p>",
                         summary="bright light",
                         attachment=[image, {"type": "Link", "href": "https://card"}],
                         tag=[{"type": "Hashtag", "name": "#gouache"}]),
                  create(2, inReplyTo="https://else.example/1", attachment=[image]),
                  create(3, to=["https://else.example/users/bob"], cc=[], attachment=[image]),
                  create(4),
                  {"id": f"{actor}/statuses/5/activity", "type": "Announce", "actor": actor,
                   "published": "2022-05-01T10:00:00Z", "object": "https://else.example/2"},
              ]}  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("outbox.json", json.dumps(outbox))
        archive.writestr("actor.json", json.dumps({"id": actor}))
        archive.writestr("media_attachments/files/110/000/001/original/light.jpg", artwork(seed=40))
    return path


def test_a_mastodon_archive_brings_posts_with_their_source(site, tmp_path):
    site, _ = site
    archive = mastodon_archive(tmp_path / "archive.zip", "https://masto.example/users/ann")
    out = site.cli("import", "mastodon", "alice", str(archive)).stdout
    assert "1 drafts from 5 posts, 4 not imported" in out, out
    for reason in ("a reply", "a direct message", "it has no image", "a Announce, not a post"):
        assert reason in out
    [draft] = [r for r in drafts(site) if r[6]]
    assert draft[6] == "https://masto.example/@ann/1" and draft[1] == "Lighthouse"
    assert json.loads(draft[4])[0]["alt"] == "a lighthouse at dusk"  # Mastodon's alt text kept
    site.cli("import", "publish", "alice", str(draft[0]))  # its alt text came with it
    [(source, published, summary, sensitive)] = site.query(
        "SELECT source_url, published, summary, sensitive FROM posts WHERE source_url IS NOT NULL"
    )
    assert source == "https://masto.example/@ann/1" and published.startswith("2022-01-01")
    assert (summary, sensitive) == ("bright light", 1)  # its content warning came with it


def test_a_folder_with_a_csv_names_titles_dates_alt_text_and_albums(site, tmp_path):
    site, _ = site
    folder = tmp_path / "portfolio"
    folder.mkdir()
    (folder / "harbour.jpg").write_bytes(artwork(seed=50))
    (folder / "notes.txt").write_text("not an image")
    (folder / "works.csv").write_text(
        "file,title,description,alt,tags,date,album\n"
        "harbour.jpg,Harbour,Oil on board,boats in a grey harbour,oil seascape,2015-06-01,Sea\n"
        "missing.jpg,Gone,,,,2015-06-02,Sea\n"
        "notes.txt,Notes,,,,,\n"
    )
    out = site.cli("import", "folder", "alice", str(folder)).stdout
    assert "1 drafts from 3 posts, 2 not imported" in out
    assert "missing.jpg" in out and "not an image" in out
    [draft] = [r for r in drafts(site) if r[1] == "Harbour"]
    site.cli("import", "publish", "alice", str(draft[0]))
    [(published, tags)] = site.query("SELECT published, tags FROM posts WHERE title = 'Harbour'")
    assert published.startswith("2015-06-01") and json.loads(tags) == ["oil", "seascape"]
    assert site.query(
        "SELECT a.title FROM albums a JOIN album_items i ON i.album_id = a.id "
        "JOIN posts p ON p.id = i.post_id WHERE p.title = 'Harbour'"
    ) == [("Sea",)]


def zip_with(path: Path, entries: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return path


POSTS = "content/posts_1.json"


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("not_a_zip", "is not a ZIP archive"),
        ("escaping", "a path that escapes it: '../evil.jpg'"),
        ("symlink", "a symbolic link: 'media/link.jpg'"),
        ("bomb", "looks like a ZIP bomb"),
        ("no_index", "this is not an Instagram export"),
        ("unknown_shape", "is not a list of posts"),
        ("not_a_post", "is not an Instagram post"),
        ("too_many", "an import takes at most 10000"),
    ],
)
def test_a_bad_archive_is_refused_with_its_reason_and_nothing_is_made(site, tmp_path, case, reason):
    site, _ = site
    path = tmp_path / f"{case}.zip"
    if case == "not_a_zip":
        path.write_bytes(b"PK but not really" * 100)
    elif case == "escaping":
        zip_with(path, {POSTS: b"[]", "../evil.jpg": artwork()})
    elif case == "symlink":
        zip_with(path, {POSTS: b"[]"}, symlink="media/link.jpg")
    elif case == "bomb":
        zip_with(path, {POSTS: b"[]", "media/bomb.jpg": bytes(300 * 1024**2)})
    elif case == "no_index":
        zip_with(path, {"media/a.jpg": artwork()})
    elif case == "unknown_shape":
        zip_with(path, {POSTS: json.dumps({"posts": []}).encode()})
    elif case == "not_a_post":
        zip_with(path, {POSTS: json.dumps([{"photos": []}]).encode()})
    else:
        post = {"media": [{"uri": "media/x.jpg", "creation_timestamp": 1600000000}]}
        zip_with(path, {POSTS: json.dumps([post] * 10_001).encode()})
    jobs, drafts_before = site.query("SELECT count(*) FROM import_jobs"), len(drafts(site))
    result = site.cli("import", "instagram", "alice", str(path), check=False)
    assert result.returncode == 1
    assert reason in result.stderr, result.stderr
    assert site.query("SELECT count(*) FROM import_jobs") == jobs
    assert len(drafts(site)) == drafts_before
