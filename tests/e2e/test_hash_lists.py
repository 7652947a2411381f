"""Shared hash lists end to end, with three instances (issue 14): A refuses a generated image
by its provenance and lists its hash; B subscribes to A's list; C, whose member re-posts the
image re-encoded, resized and stripped of its metadata, is refused by B on the strength of
A's list. C never subscribed, so the image stays on C. When A upholds the artist's appeal,
the entry is withdrawn and B's worker, at its next sync, lets the same image through."""

from __future__ import annotations

import io
import json

import httpx
from PIL import Image

from tests.inbox.screening import images as img
from tests.instances import wait_for

# B's worker re-reads subscribed lists every 3 seconds here (an hour by default).
SUBSCRIBER = "[screening]\nhash_list_sync_minutes = 0.05\n"


def records(instance, state: str) -> list[str]:
    out = instance.cli("moderation", "list", "--state", state).stdout.strip()
    return [] if out.startswith("no moderation records") else out.splitlines()


def reposted(original: bytes) -> bytes:
    """What a re-poster does: decode, scale to 0.8, save as JPEG quality 80 with no metadata."""
    image = Image.open(io.BytesIO(original)).convert("RGB")
    image = image.resize((image.width * 4 // 5, image.height * 4 // 5), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def test_a_refusal_on_one_instance_protects_its_subscribers(make_instance, tmp_path):
    a = make_instance("a")
    b = make_instance("b", extra_config=SUBSCRIBER)
    c = make_instance("c")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    c.cli("user", "add", "carl")
    assert "accepted" in b.cli("follow", "bob", f"carl@{c.domain}").stdout

    # A refuses its member's upload: AUTOMATIC1111's parameters chunk (a provenance signal).
    generated = img.png_with_text(
        img.photo("astronaut").resize((400, 400)), parameters=img.A1111_PARAMETERS
    )
    original = tmp_path / "generated.png"
    original.write_bytes(generated)
    refused = a.cli("post", "alice", "--image", str(original), "--alt", "a portrait", check=False)
    assert refused.returncode == 1 and "generator" in refused.stderr
    [record_line] = records(a, "refused")
    record_id = record_line.split()[0]

    # A publishes the entry: the hash, algorithm, quality, reason and date; no image, no poster.
    listed = httpx.get(f"{a.base_url}/hash-list", headers={"Accept": "application/activity+json"})
    assert listed.status_code == 200 and listed.json()["totalItems"] == 1
    assert listed.json()["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    page = httpx.get(listed.json()["first"], headers={"Accept": "application/activity+json"})
    [entry] = page.json()["orderedItems"]
    assert set(entry) == {"id", "type", "algorithm", "hash", "quality", "reason", "published"}
    assert (entry["algorithm"], entry["reason"]) == ("pdq", "provenance")
    assert "alice" not in page.text and ".png" not in page.text

    subscribed = b.cli(
        "hashlist", "subscribe", f"{a.base_url}/hash-list", "--action", "refuse"
    ).stdout
    assert "1 entries" in subscribed
    listing = b.cli("hashlist", "list").stdout
    assert f"{a.base_url}/hash-list  refuse  1 entries" in listing

    # C's member posts the same picture re-encoded at JPEG q80, 0.8x, without metadata. C
    # screens it (no provenance is left) and publishes it; B refuses it by A's list.
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(reposted(generated))
    assert b"parameters" not in copy.read_bytes()
    screened = b.cli("screen", str(copy)).stdout
    assert "refuse" in screened and f"hash_list (refuse): matches entry {entry['id']}" in screened
    page_on_c = c.cli("post", "carl", "--image", str(copy), "--alt", "a portrait").stdout.strip()
    [line] = wait_for(lambda: records(b, "refused") or None, what="B to refuse the copy")
    shown = json.loads(b.cli("moderation", "show", line.split()[0]).stdout)
    [found] = [
        e for image in shown["evidence"] for e in image["evidence"] if e["signal"] == "hash_list"
    ]
    assert found["outcome"] == "refuse"
    assert found["value"]["list"] == f"{a.base_url}/hash-list"
    assert found["value"]["entry"] == entry["id"]
    assert 0 <= found["value"]["distance"] <= 31
    assert b.timeline("bob") == []
    # The poster's own instance never subscribed: the work stays up there.
    assert httpx.get(page_on_c).status_code == 200

    # The artist appeals on A and the admin upholds it: the entry is withdrawn...
    a.cli(
        "moderation", "appeal", record_id, "--note", "I painted this; the file went through a tool"
    )
    upheld = a.cli("moderation", "approve", record_id).stdout
    assert "withdrew 1 image(s)" in upheld
    assert (
        httpx.get(entry["id"], headers={"Accept": "application/activity+json"}).status_code == 410
    )
    # ...and B's worker drops it at its next sync, so the same image is accepted again.
    wait_for(
        lambda: (
            json.loads(b.cli("hashlist", "list", "--json").stdout)["subscriptions"][0]["entries"]
            == 0
        ),
        what="B's worker to sync A's list",
    )
    c.cli("post", "carl", "--image", str(copy), "--alt", "a portrait", "--text", "again")
    [shown_on_b] = wait_for(lambda: b.timeline("bob"), what="the copy to reach B")
    assert "again" in shown_on_b["content"] and len(shown_on_b["media"]) == 1


def test_lists_are_read_with_signed_fetches_and_publishing_can_be_turned_off(make_instance):
    x = make_instance("x", extra_federation="authorized_fetch = true")
    y = make_instance("y", extra_config="[screening]\npublish_hash_list = false\n")
    accept = {"Accept": "application/activity+json"}
    assert httpx.get(f"{x.base_url}/hash-list", headers=accept).status_code == 401
    # The key that signs the list is on the instance actor, readable without a signature.
    actor = httpx.get(f"{x.base_url}/actor", headers=accept).json()
    [key] = actor["assertionMethod"]
    assert key["type"] == "Multikey" and key["controller"] == actor["id"]
    assert key["publicKeyMultibase"].startswith("z6Mk")  # an Ed25519 multikey
    # Y's worker signs its fetches, so it can subscribe to X's list.
    assert "subscribed to" in y.cli("hashlist", "subscribe", f"{x.base_url}/hash-list").stdout
    assert httpx.get(f"{y.base_url}/hash-list", headers=accept).status_code == 404
    assert "not published" in y.cli("hashlist", "list").stdout
