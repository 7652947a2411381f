"""The federation story of issue 2, end to end: two instances as processes on loopback, driven
through the CLI, talking signed HTTP to each other."""

from __future__ import annotations

import hashlib
import io

import httpx
from PIL import Image

from activitypub.vocab import PUBLIC
from tests.conftest import artwork
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}


def photo_with_gps(path) -> None:
    """A JPEG as a phone writes it: rotated by EXIF, with GPS and camera tags."""
    image = Image.open(io.BytesIO(artwork(400, 300, seed=7)))
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    image.save(path, "JPEG", exif=exif)


def test_follow_post_and_delete_across_instances(make_instance, tmp_path):
    a = make_instance("a")
    b = make_instance("b")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob", "--display-name", "Bob the Painter")

    # WebFinger finds @bob@host and points at the actor document.
    jrd = httpx.get(
        f"{b.base_url}/.well-known/webfinger", params={"resource": f"acct:bob@{b.domain}"}
    ).json()
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link == {
        "rel": "self",
        "type": "application/activity+json",
        "href": f"{b.base_url}/users/bob",
    }
    assert jrd["subject"] == f"acct:bob@{b.domain}"

    followed = a.cli("follow", "alice", f"bob@{b.domain}")
    assert "accepted" in followed.stdout
    followers = httpx.get(f"{b.base_url}/users/bob/followers?page=1", headers=AS).json()
    assert followers["orderedItems"] == [f"{a.base_url}/users/alice"]

    picture = tmp_path / "painting.jpg"
    photo_with_gps(picture)
    posted = b.cli(
        "post",
        "bob",
        "--image",
        str(picture),
        "--alt",
        "A study in red and blue",
        "--text",
        "New painting",
        "--summary",
        "bright colours",
    )
    post_page = posted.stdout.strip()
    assert post_page.startswith(f"{b.base_url}/@bob/")

    [entry] = wait_for(lambda: a.timeline("alice"), what="the post to arrive on A")
    assert entry["author"] == f"{b.base_url}/users/bob"
    assert entry["summary"] == "bright colours" and entry["sensitive"] is True
    assert "New painting" in entry["content"]
    [media] = entry["media"]
    assert media["alt"] == "A study in red and blue"
    assert (media["width"], media["height"]) == (300, 400)  # EXIF orientation applied
    assert media["media_type"] == "image/jpeg"
    assert media["blurhash"] and len(media["blurhash"]) == 28

    # The image on A is byte for byte what B publishes, and B publishes no EXIF/GPS.
    published = httpx.get(media["remote_url"])
    assert published.status_code == 200
    assert published.headers["content-type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(published.content)).getexif()
    cached = httpx.get(f"{a.base_url}/media/{media['file_name']}")
    assert hashlib.sha256(cached.content).hexdigest() == media["sha256"]
    assert cached.content == published.content

    # The Note as Mastodon reads it.
    note = httpx.get(entry["uri"], headers=AS).json()
    assert note["type"] == "Note"
    assert note["attributedTo"] == f"{b.base_url}/users/bob"
    assert note["to"] == [PUBLIC] and note["cc"] == [f"{b.base_url}/users/bob/followers"]
    assert note["url"] == post_page
    [attachment] = note["attachment"]
    assert attachment["mediaType"] == "image/jpeg"
    assert attachment["name"] == "A study in red and blue"
    assert attachment["url"] == media["remote_url"]
    assert attachment["blurhash"] == media["blurhash"]
    assert (attachment["width"], attachment["height"]) == (300, 400)
    assert attachment["focalPoint"] == [0.0, 0.0]
    create = httpx.get(f"{entry['uri']}/activity", headers=AS).json()
    assert create["type"] == "Create" and create["object"]["id"] == entry["uri"]
    outbox = httpx.get(f"{b.base_url}/users/bob/outbox?page=1", headers=AS).json()
    assert [item["object"]["id"] for item in outbox["orderedItems"]] == [entry["uri"]]

    # Deleting on B removes the post and its cached image on A.
    b.cli("delete", "bob", post_page)
    wait_for(lambda: not a.timeline("alice"), what="the post to disappear on A")
    assert httpx.get(f"{a.base_url}/media/{media['file_name']}").status_code == 404
    assert not a.has_media(media["file_name"])
    gone = httpx.get(entry["uri"], headers=AS)
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"

    # Unfollowing reaches B.
    a.cli("unfollow", "alice", f"bob@{b.domain}")
    wait_for(
        lambda: (
            httpx.get(f"{b.base_url}/users/bob/followers", headers=AS).json()["totalItems"] == 0
        ),
        what="B to drop the follower",
    )
    assert a.query("SELECT count(*) FROM follows")[0][0] == 0
