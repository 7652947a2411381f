"""`cara-fed backup` of a running instance, and `cara-fed restore` onto a new one under the
same URL, which then goes on federating as the old one: its follower, its keys, its works and
their images are all there. The new instance is the other kind of everything: an instance on
SQLite with media on disk restores onto PostgreSQL with media in a bucket (SeaweedFS), and in
the PostgreSQL + SeaweedFS pass of scripts/test the other way round."""

from __future__ import annotations

import os

import httpx
import pytest

from tests import postgres as pg
from tests.conftest import artwork, on_postgres
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}


@pytest.fixture
def other_kind(request):
    """[database] and [media] for the restored instance: the kinds the source is not."""
    made: dict = {}
    if on_postgres():
        yield {}
        return
    reason = pg.unavailable()
    if reason and not os.environ.get("CI"):
        pytest.skip(reason)
    made["url"] = pg.create_database()
    made["bucket"] = request.getfixturevalue("seaweedfs").new_bucket(prefix="media/")
    yield made
    pg.drop_database(made["url"])
    made["bucket"].remove()


def test_a_restored_instance_federates_as_the_one_backed_up(make_instance, tmp_path, other_kind):
    a = make_instance("a")
    b = make_instance("b")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in b.cli("follow", "bob", f"alice@{a.domain}").stdout
    picture = tmp_path / "ink.png"
    picture.write_bytes(artwork(96, 64, seed=31, fmt="PNG"))
    work = a.cli("post", "alice", "--image", str(picture), "--alt", "ink").stdout.strip()
    wait_for(lambda: len(b.timeline("bob")) == 1, what="the work in bob's timeline")
    page = httpx.get(work, headers=AS).json()
    image_url = page["attachment"][0]["url"]
    image = httpx.get(image_url).content
    ca = httpx.get(f"{a.base_url}/.well-known/content-credentials.pem").text

    archive = tmp_path / "a.tar"
    backed_up = a.cli("backup", str(archive))  # while a runs
    assert "backed up" in backed_up.stdout and archive.stat().st_size > len(image)
    a.stop()

    restored = make_instance("a-restored", start=False)
    restored.port = a.port  # the same URL: the ids and keys are the old instance's
    if other_kind:
        restored.database_url = other_kind["url"]
        restored.bucket = None
        restored.media_config = other_kind["bucket"].media_config()
    else:  # the PostgreSQL + SeaweedFS pass: back to SQLite and disk
        pg.drop_database(restored.database_url)
        if restored.bucket is not None:
            restored.bucket.remove()
        restored.database_url, restored.media_config, restored.bucket = "", "", None
    restored.write_config()
    said = restored.cli("restore", str(archive)).stdout
    assert "is restored" in said
    restored.start()

    # The work, its image and the follower are there.
    assert httpx.get(work, headers=AS).json()["id"] == page["id"]
    assert httpx.get(image_url).content == image
    # It signs with the same Content Credentials identity: peers that pinned the CA still do.
    assert httpx.get(f"{a.base_url}/.well-known/content-credentials.pem").text == ca
    followers = httpx.get(f"{a.base_url}/users/alice/followers?page=1", headers=AS).json()
    assert followers["orderedItems"] == [f"{b.base_url}/users/bob"]
    if other_kind:
        assert {n.split("/")[0] for n in other_kind["bucket"].names()} >= {"local", "private"}

    # A new work reaches bob: b verifies the restored instance's signature with the key it
    # fetched from the old one.
    restored.cli("post", "alice", "--image", str(picture), "--alt", "again")
    entries = wait_for(
        lambda: len(b.timeline("bob")) == 2 and b.timeline("bob"),
        what="the restored instance's new work in bob's timeline",
    )
    assert {entry["author"] for entry in entries} == {f"{a.base_url}/users/alice"}


def test_restore_refuses_another_url_and_a_database_in_use(make_instance, tmp_path):
    a = make_instance("a")
    a.cli("user", "add", "alice")
    archive = tmp_path / "a.tar"
    a.cli("backup", str(archive))
    elsewhere = make_instance("elsewhere", start=False)
    refused = elsewhere.cli("restore", str(archive), check=False)
    assert refused.returncode == 1 and "restore it under the same [instance] url" in refused.stderr
    assert not elsewhere.database.exists() or elsewhere.query("SELECT count(*) FROM actors") == [
        (0,)
    ]
    in_use = a.cli("restore", str(archive), check=False)
    assert in_use.returncode == 1 and "already holds rows" in in_use.stderr
    broken = tmp_path / "broken.tar"
    broken.write_bytes(b"not an archive")
    answer = elsewhere.cli("restore", str(broken), check=False)
    assert answer.returncode == 1 and "is not a cara-fed backup" in answer.stderr
