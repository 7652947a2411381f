"""Publishing through the cloak: a post waits, invisible and unsent, until a background job
has cloaked each of its images in a child process; the published files are the cloaked
renditions with the rights XMP written after the cloak; the artist's originals stay private.
The jobs run the real encoder with very few steps (the bench measures the real setting)."""

from __future__ import annotations

import io
import json
import time
from datetime import datetime
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from cloak import content_credentials as cc
from cloak.metrics import psnr
from cloak.rendition import THUMBNAIL_SIDE, thumbnail_from_pixels
from cloak.xmp import DMI_PROHIBITED_AIML
from tests.conftest import artwork
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}
FAST_CLOAK = "steps = 2\nlease_seconds = 3.0\npoll_interval_seconds = 0.2\nretry_seconds = 0.2"
JOB_TIMEOUT = 180.0  # each job starts a Python process that loads the CLIP encoder


def rgba_png() -> bytes:
    """A PNG with a transparent hole, to show the cloak leaves alpha alone."""
    image = Image.open(io.BytesIO(artwork(200, 160, seed=5))).convert("RGBA")
    alpha = np.full((160, 200), 255, np.uint8)
    alpha[40:120, 50:150] = 0
    image.putalpha(Image.fromarray(alpha))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cloaking_processes(root) -> list[str]:
    """Command lines of live `cara-fed cloak-job` children of the instance at `root`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # it ended while we looked
        text = " ".join(a.decode(errors="replace") for a in args)
        if " cloak-job " in text and str(root) in text:
            found.append(text)
    return found


def creates_sent(instance, state: str = "%") -> int:
    [(count,)] = instance.query(
        "SELECT count(*) FROM deliveries d JOIN outbound_activities o ON o.id = d.activity_id "
        "WHERE o.kind = 'Create' AND d.state LIKE ?",
        state,
    )
    return count


def cloak_jobs(instance) -> list[dict]:
    return json.loads(instance.cli("cloak-jobs", "--json").stdout)


def status(url: str) -> int:
    return httpx.get(url, headers=AS).status_code


def xmp_of(image: Image.Image) -> str:
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return xmp.decode() if isinstance(xmp, bytes) else xmp


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def thumbnail_mse(thumb: Image.Image, source: Image.Image) -> float:
    """Mean squared error (0-255 scale) between a served thumbnail and the one
    thumbnail_from_pixels makes of `source`: which pixels was the thumbnail made from?"""
    pixels = source.copy()
    pixels.info = {k: v for k, v in source.info.items() if k in ("icc_profile", "transparency")}
    made = decoded(thumbnail_from_pixels(pixels, source.format, quality=92, xmp=None).data)
    assert made.size == thumb.size
    a = np.asarray(thumb.convert("RGBA"), dtype=np.float64)
    b = np.asarray(made.convert("RGBA"), dtype=np.float64)
    return float(np.mean((a - b) ** 2))


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """alice on A follows bob on B; B cloaks its artists' images."""
    a = make_module_instance("a")
    b = make_module_instance("b", cloak_config=FAST_CLOAK)
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob", "--display-name", "Bob the Painter")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    return a, b


def credentials_of(instance, data: bytes) -> cc.Credentials:
    """The file's Content Credentials, read with c2pa-python's Reader trusting only the CA the
    instance publishes; they must validate against it."""
    ca = httpx.get(f"{instance.base_url}/.well-known/content-credentials.pem")
    assert ca.status_code == 200 and ca.text.startswith("-----BEGIN CERTIFICATE-----")
    found = cc.read(data, ca.text)
    assert found is not None, "the published file carries Content Credentials"
    assert found.validation_state == "Trusted" and found.signature_valid, found.failures
    assert found.training == {use: "notAllowed" for use in cc.TRAINING_USES}
    assert cc.read(data) is not None and not cc.read(data).trusted  # untrusted unless pinned
    return found


def told(site) -> list[tuple[str, str, str]]:
    """The members' own notices (cloaked, cloak failed, a moderator's decision), oldest first."""
    return site.query(
        "SELECT a.username, n.kind, n.post_uri FROM notifications n JOIN actors a "
        "ON a.id = n.recipient_id WHERE n.recipient_id = n.account_id ORDER BY n.id"
    )


def uri_of(site) -> str:
    [(uri,)] = site.query("SELECT uri FROM posts")
    return uri


def test_a_post_publishes_only_once_its_images_are_cloaked(pair, tmp_path):
    a, b = pair
    jpeg, png = tmp_path / "one.jpg", tmp_path / "two.png"
    jpeg.write_bytes(artwork(800, 600, seed=3))  # over THUMBNAIL_SIDE: its thumbnail is scaled
    png.write_bytes(rgba_png())
    posted = b.cli(
        "post", "bob", "--image", str(jpeg), "--alt", "one", "--image", str(png), "--alt", "two"
    )
    page = posted.stdout.strip()
    assert "being cloaked" in posted.stderr
    [(uri, pending)] = b.query("SELECT uri, cloak_pending FROM posts")
    # Invisible and unsent while the jobs run.
    assert pending == 1
    assert status(uri) == 404 and status(page) == 404
    outbox = httpx.get(f"{b.base_url}/users/bob/outbox", headers=AS).json()
    assert outbox["totalItems"] == 0
    assert creates_sent(b) == 0
    assert {job["state"] for job in cloak_jobs(b)} <= {"pending"}

    # The jobs are watched in B's database (a query, not a CLI process per poll, which would
    # take CPU from the low-priority cloak children); then the post must reach A's timeline.
    wait_for(
        lambda: b.query("SELECT cloak_pending FROM posts") == [(0,)],
        JOB_TIMEOUT,
        what="both images to be cloaked",
    )
    [entry] = wait_for(lambda: a.timeline("alice"), what="the cloaked post on A")
    jobs = cloak_jobs(b)
    assert [job["state"] for job in jobs] == ["done", "done"]
    assert told(b) == [("bob", "cloaked", uri)]  # once, when the last image is done
    for job in jobs:
        report = job["report"]
        assert report["linf"] <= 4 / 255 + 1e-9 and report["steps"] == 2
        for key in ("psnr_db", "ssim", "gain_toward_target", "kept_after_jpeg_q75"):
            assert isinstance(report[key], float)
    assert entry["uri"] == uri
    assert b.query("SELECT cloak_pending FROM posts") == [(0,)]
    # Dated when it became public, not when it was uploaded.
    [(published, created)] = b.query("SELECT published, created_at FROM posts")
    assert datetime.fromisoformat(published) > datetime.fromisoformat(created)
    note = httpx.get(uri, headers=AS).json()

    rows = b.query(
        "SELECT position, original_file, thumb_file, thumb_width, thumb_height "
        "FROM media_attachments ORDER BY position"
    )
    originals = {position: original for position, original, *_ in rows}
    for position, (att, source) in enumerate(zip(note["attachment"], (jpeg, png), strict=True)):
        served = httpx.get(att["url"])
        assert served.status_code == 200
        image = Image.open(io.BytesIO(served.content))
        # The rights statement is in the file we publish: written after the cloak.
        assert DMI_PROHIBITED_AIML in xmp_of(image)
        assert "Bob the Painter" in xmp_of(image)
        # Its thumbnail: at most THUMBNAIL_SIDE, the published image's shape, served with the
        # same rights statement, and made from the cloaked pixels, not the original's.
        _, original_file, thumb_file, thumb_width, thumb_height = rows[position]
        width, height = image.size
        assert thumb_file and thumb_file != original_file
        assert max(thumb_width, thumb_height) == min(THUMBNAIL_SIDE, max(width, height))
        assert abs(thumb_width * height - thumb_height * width) <= max(width, height)
        served_thumb = httpx.get(f"{b.base_url}/media/{thumb_file}")
        assert served_thumb.status_code == 200
        thumb = decoded(served_thumb.content)
        assert thumb.size == (thumb_width, thumb_height)
        assert xmp_of(thumb) == xmp_of(image)
        # Both carry Content Credentials: Bob, a digital creation, the cloak, no AI training.
        for data, scaled in ((served.content, False), (served_thumb.content, position == 0)):
            said = credentials_of(b, data)
            assert (said.creator_name, said.handle, said.actor_url) == (
                "Bob the Painter",
                f"@bob@{b.domain}",
                f"{b.base_url}/users/bob",
            )
            assert said.source_type == cc.MADE_AS["digital"]
            assert "c2pa.filtered" in said.actions
            assert ("c2pa.resized" in said.actions) == scaled
        original = decoded((b.root / "data" / "media" / original_file).read_bytes())
        from_published, from_original = thumbnail_mse(thumb, image), thumbnail_mse(thumb, original)
        print(f"image {position}: thumbnail MSE to the published {from_published:.3f}, "
              f"to the original {from_original:.3f}")  # fmt: skip
        assert from_published < from_original / 4, "the thumbnail shows the cloaked pixels"
        clean = np.asarray(Image.open(source).convert("RGB")) / 255.0
        published = np.asarray(image.convert("RGB")) / 255.0
        assert published.shape == clean.shape
        assert 30 < psnr(clean, published) < 70, "a small change, but a change"
        # The original stays on disk, private: never served, under any name.
        name = originals[position]
        assert name.startswith("private/")
        assert (b.root / "data" / "media" / name).is_file()
        assert httpx.get(f"{b.base_url}/media/{name}").status_code == 404
        sha = name.split("/")[1]
        assert httpx.get(f"{b.base_url}/media/local/{sha}").status_code == 404
    # The PNG kept its transparency exactly.
    served_png = Image.open(io.BytesIO(httpx.get(note["attachment"][1]["url"]).content))
    assert served_png.mode == "RGBA"
    assert np.array_equal(
        np.asarray(served_png.getchannel("A")), np.asarray(Image.open(png).getchannel("A"))
    )
    # Sent exactly once, to A.
    assert creates_sent(b, "done") == 1
    assert len(a.timeline("alice")) == 1

    b.cli("delete", "bob", page)
    wait_for(lambda: not a.timeline("alice"), what="the post to disappear on A")
    media = b.root / "data" / "media"
    assert not [p for p in media.rglob("*") if p.is_file()], "originals are removed too"


def test_without_the_cloak_a_post_publishes_at_once(pair, tmp_path):
    a, b = pair
    picture = tmp_path / "quick.jpg"
    picture.write_bytes(artwork(240, 180, seed=9))
    # Per post...
    page = b.cli(
        "post", "bob", "--image", str(picture), "--alt", "x", "--no-cloak", "--made-as", "photo"
    ).stdout
    assert status(page.strip()) == 200
    note = httpx.get(page.strip(), headers=AS).json()
    said = credentials_of(b, httpx.get(note["attachment"][0]["url"]).content)
    assert said.source_type == cc.MADE_AS["photo"] and "c2pa.filtered" not in said.actions
    # ...and per artist.
    b.cli("user", "add", "cleo")
    assert "told" not in b.cli("user", "edit", "cleo", "--no-cloak", "--made-as", "scan").stdout
    page = b.cli("post", "cleo", "--image", str(picture), "--alt", "y").stdout
    assert status(page.strip()) == 200
    note = httpx.get(page.strip(), headers=AS).json()
    served_bytes = httpx.get(note["attachment"][0]["url"]).content
    served = Image.open(io.BytesIO(served_bytes))
    assert DMI_PROHIBITED_AIML in xmp_of(served)
    said = credentials_of(b, served_bytes)
    assert said.source_type == cc.MADE_AS["scan"] and said.handle == f"@cleo@{b.domain}"
    # `credentials show` says the same, and that the signer is this instance's.
    shown = tmp_path / "shown.jpg"
    shown.write_bytes(served_bytes)
    out = b.cli("credentials", "show", str(shown)).stdout
    assert "signed by a certificate this instance trusts" in out and f"@cleo@{b.domain}" in out
    assert "made as: scan" in out and "ai_generative_training notAllowed" in out
    # The instance actor names the CA for peers to pin.
    actor = httpx.get(f"{b.base_url}/actor", headers=AS).json()
    assert {
        "type": "Link",
        "rel": "content-credentials-ca",
        "href": f"{b.base_url}/.well-known/content-credentials.pem",
        "mediaType": "application/x-pem-file",
    } in actor["attachment"]
    # A rotated signing certificate signs the next work, under the same CA
    # (tests/cara_fed/test_credentials_identity.py: a running process reads it anew).
    assert "under the same CA" in b.cli("credentials", "rotate").stdout
    page = b.cli("post", "cleo", "--image", str(picture), "--alt", "z").stdout
    note = httpx.get(page.strip(), headers=AS).json()
    rotated = credentials_of(b, httpx.get(note["attachment"][0]["url"]).content)
    assert rotated.signer_serial and rotated.signer_serial != said.signer_serial
    assert b.query(
        "SELECT count(*) FROM cloak_jobs j JOIN media_attachments m ON m.id = j.attachment_id "
        "JOIN posts p ON p.id = m.post_id WHERE p.url = ?",
        page.strip(),
    ) == [(0,)]
    wait_for(lambda: len(a.timeline("alice")) == 1, what="bob's uncloaked post on A")


def test_a_killed_server_takes_its_cloak_job_up_again(make_instance, tmp_path):
    a = make_instance("a")
    slow = "steps = 40\nlease_seconds = 3.0\npoll_interval_seconds = 0.2"
    b = make_instance("b", cloak_config=slow)
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    picture = tmp_path / "work.jpg"
    picture.write_bytes(artwork(320, 240, seed=4))
    b.cli("post", "bob", "--image", str(picture), "--alt", "a work")
    wait_for(
        lambda: b.query("SELECT attempts FROM cloak_jobs WHERE lease_until IS NOT NULL") == [(1,)],
        what="the job to start",
    )
    wait_for(lambda: cloaking_processes(b.root), what="the cloak child to run")
    time.sleep(1)
    b.kill9()
    # The child dies with its server; no orphan keeps cloaking.
    wait_for(lambda: not cloaking_processes(b.root), 5, what="the child to die with its server")
    assert b.query("SELECT state FROM cloak_jobs") == [("pending",)]
    assert a.timeline("alice") == []

    b.cloak_config = FAST_CLOAK
    b.write_config()
    b.start()
    wait_for(
        lambda: b.query("SELECT state FROM cloak_jobs") == [("done",)],
        JOB_TIMEOUT,
        what="the job to finish after restart",
    )
    [entry] = wait_for(lambda: a.timeline("alice"), what="the post after restart")
    # The cloaking worker is a process of its own: told its server died (SIGTERM, the
    # parent-death signal), it stopped the cloak and handed the job back uncounted.
    assert b.query("SELECT state, attempts FROM cloak_jobs") == [("done", 1)]
    assert creates_sent(b) == 1
    assert entry["media"][0]["alt"] == "a work"


def test_a_failing_cloak_leaves_the_post_unpublished_and_says_why(make_instance, tmp_path):
    broken = make_instance(
        "broken",
        cloak_config=FAST_CLOAK + "\nmax_attempts = 2",
        extra_config='[screening]\nclassifier = "off"\nmodels_dir = "no-models-here"\n',
    )
    broken.cli("user", "add", "dana")
    picture = tmp_path / "work.jpg"
    picture.write_bytes(artwork(200, 200, seed=6))
    page = broken.cli("post", "dana", "--image", str(picture), "--alt", "a work").stdout.strip()
    wait_for(
        lambda: broken.query("SELECT state FROM cloak_jobs") == [("dead",)],
        JOB_TIMEOUT,
        what="the job to fail for good",
    )
    [job] = [j for j in cloak_jobs(broken) if j["state"] == "dead"]
    assert job["attempts"] == 2
    assert "the encoder is not available" in job["error"]
    assert status(page) == 404
    assert broken.query("SELECT cloak_state FROM media_attachments") == [("failed",)]
    assert told(broken) == [("dana", "cloak_failed", uri_of(broken))]
    listing = broken.cli("cloak-jobs").stdout
    assert "dead" in listing and "encoder is not available" in listing
    # The worker's child command, run by hand, fails the same way and says why.
    by_hand = broken.cli("cloak-job", str(job["id"]), check=False)
    assert by_hand.returncode == 1 and "the encoder is not available" in by_hand.stderr
    missing = broken.cli("cloak-job", "999", check=False)
    assert missing.returncode == 1 and "there is no cloak job 999" in missing.stderr

    assert "queued again" in broken.cli("cloak-retry", str(job["id"])).stdout
    assert broken.query("SELECT cloak_state FROM media_attachments") == [("pending",)]
    refused = broken.cli("cloak-retry", "999", check=False)
    assert refused.returncode == 1 and "no cloak job 999" in refused.stderr


def test_a_held_post_waits_for_both_the_cloak_and_the_moderator(make_instance, tmp_path):
    b = make_instance(
        "b", cloak_config=FAST_CLOAK, extra_config='[screening]\ndeclaration_outcome = "review"\n'
    )
    b.cli("user", "add", "bob")
    picture = tmp_path / "work.jpg"
    picture.write_bytes(artwork(200, 160, seed=8))
    page = b.cli(
        "post", "bob", "--image", str(picture), "--alt", "a work", "--text", "#aiart"
    ).stdout.strip()
    wait_for(
        lambda: b.query("SELECT state FROM cloak_jobs") == [("done",)],
        JOB_TIMEOUT,
        what="the cloak to finish",
    )
    assert status(page) == 404, "still held by moderation"
    assert b.query("SELECT count(*) FROM outbound_activities WHERE kind = 'Create'") == [(0,)]
    [(record,)] = b.query("SELECT id FROM moderation_records WHERE state = 'review'")
    b.cli("moderation", "approve", str(record))
    assert status(page) == 200
    assert told(b) == [("bob", "cloaked", uri_of(b)), ("bob", "work_approved", uri_of(b))]
    assert b.query("SELECT count(*) FROM outbound_activities WHERE kind = 'Create'") == [(1,)]
