"""Hostile images, remote and local: too large, a decompression bomb, SVG with script, bytes
that are not what the Content-Type says, a path-traversing name, truncated and corrupt files.

Remote: the Create is answered 202 (the inbox cannot know what its images hold) and its post
is kept with the image discarded: the attachment is marked unavailable with the reason, no file
is written, nothing is shown. What could be read is stored under its content hash, typed by its
bytes. Local (`cara-fed post --image`): refused with the reason, and no post, job or file.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

import pytest

from tests.conftest import artwork
from tests.fake_peer import FakePeer, File
from tests.instances import follow_accepted, wait_handled

MB = 1 << 20


def png_bomb(side: int = 20_000) -> bytes:
    """A real 1-bit PNG of side×side pixels (400 MP at the default): about 50 KB on the wire,
    50 MB decoded as bits and far more in any decoder's working form."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes(side // 8)
    pixels = zlib.compress(row * side, 9)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/api/v1/accounts')</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
JPEG = artwork(160, 120, seed=5)
PNG = artwork(160, 120, seed=6, fmt="PNG")
TRUNCATED = JPEG[: len(JPEG) // 2]
CORRUPT = PNG[:64] + bytes(reversed(PNG[64:]))

# name -> (what the peer serves, what the refusal says)
REFUSED = {
    "declared_100mb": (File(PNG, "image/png", pad_to=100 * MB), "over the"),
    "undeclared_100mb": (
        File(PNG, "image/png", pad_to=100 * MB, declare_length=False),
        "larger than",
    ),
    "bomb": (File(png_bomb(), "image/png"), "too large to decode safely"),
    "svg_with_script": (File(SVG, "image/svg+xml"), "not a readable image"),
    "html_as_png": (File(HTML, "image/png"), "not a readable image"),
    "truncated": (File(TRUNCATED, "image/jpeg"), "damaged"),
    "corrupt": (File(CORRUPT, "image/png"), "damaged"),
}


@pytest.fixture(scope="module")
def setup(make_module_instance):
    receiver = make_module_instance("receiver", extra_federation="max_media_bytes = 8000000")
    receiver.cli("user", "add", "alice")
    peer = FakePeer().start()
    painter = peer.add_actor("painter")
    follow_accepted(receiver, "alice", peer, painter)
    yield receiver, peer, painter
    peer.stop()


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def send_image(receiver, peer: FakePeer, painter: str, url: str, media_type: str) -> dict:
    alice = f"{receiver.base_url}/users/alice"
    note_id = f"{painter}/statuses/{len(peer.received)}-{url.rsplit('/', 1)[-1]}"
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": painter,
        "to": [alice],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": painter,
            "content": "<p>new work</p>",
            "to": [alice],
            "attachment": [
                {"type": "Document", "mediaType": media_type, "url": url, "name": "../../x"}
            ],
        },
    }
    assert peer.send(painter, f"{receiver.base_url}/inbox", activity).status_code == 202
    wait_handled(receiver, activity["id"])
    [(file_name, verdict, evidence, media_type_stored)] = receiver.query(
        "SELECT m.file_name, m.screening_verdict, m.screening_evidence, m.media_type "
        "FROM media_attachments m JOIN posts p ON m.post_id = p.id WHERE p.uri = ?",
        note_id,
    )
    return {
        "uri": note_id,
        "file_name": file_name,
        "verdict": verdict,
        "evidence": json.loads(evidence) if evidence else [],
        "media_type": media_type_stored,
    }


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_hostile_remote_image_is_discarded_with_its_reason(setup, case):
    receiver, peer, painter = setup
    served, reason = REFUSED[case]
    media = receiver.root / "data" / "media"
    before = files_under(media)
    url = peer.add_file(f"/media/{case}", served)

    stored = send_image(receiver, peer, painter, url, served.content_type)

    assert stored["file_name"] is None and stored["verdict"] == "unavailable"
    assert reason in json.dumps(stored["evidence"]), stored["evidence"]
    assert files_under(media) == before
    [entry] = [e for e in receiver.timeline("alice") if e["uri"] == stored["uri"]]
    assert entry["media"] == []
    if case == "declared_100mb":  # refused on its Content-Length, before the body
        assert peer.bytes_sent[f"/media/{case}"] < 16 * MB
    if case == "undeclared_100mb":  # cut off at the limit while streaming
        assert peer.bytes_sent[f"/media/{case}"] < 24 * MB


def test_an_image_is_typed_by_its_bytes_and_named_by_its_hash(setup):
    """A PNG sent as image/jpeg under a path-traversing name is kept as what it is, under its
    content hash: nothing is written by the name the peer chose (Mastodon CVE-2023-36460)."""
    receiver, peer, painter = setup
    data_dir = receiver.root / "data"
    before = files_under(data_dir)
    url = peer.add_file("/media/..%2F..%2F..%2Fx.jpg", File(PNG, "image/jpeg"))

    stored = send_image(receiver, peer, painter, url, "image/jpeg")

    expected = f"remote/{hashlib.sha256(PNG).hexdigest()}.png"
    assert stored["verdict"] == "accept"
    assert (stored["file_name"], stored["media_type"]) == (expected, "image/png")
    new = {f for f in files_under(data_dir) - before if not f.startswith("cara-fed.sqlite3")}
    assert new == {f"media/{expected}"}
    assert not any("x.jpg" in f or f.endswith("/x") for f in files_under(receiver.root))


LOCAL = {
    "bomb.png": (png_bomb(), "too large to decode safely"),
    "script.svg": (SVG, "not a readable image"),
    "page.jpg": (HTML, "not a readable image"),
    "truncated.jpg": (TRUNCATED, "damaged"),
    "corrupt.png": (CORRUPT, "damaged"),
}


@pytest.mark.parametrize("name", sorted(LOCAL))
def test_a_hostile_upload_is_refused_and_leaves_nothing(setup, tmp_path, name):
    receiver, _, _ = setup
    data, reason = LOCAL[name]
    upload = tmp_path / name
    upload.write_bytes(data)
    rows = receiver.query("SELECT count(*) FROM posts WHERE local = TRUE")
    before = files_under(receiver.root / "data" / "media")

    result = receiver.cli("post", "alice", "--image", str(upload), "--alt", "x", check=False)

    assert result.returncode != 0
    assert reason in result.stderr, result.stderr
    assert receiver.query("SELECT count(*) FROM posts WHERE local = TRUE") == rows
    assert receiver.query("SELECT count(*) FROM cloak_jobs") == [(0,)]
    assert files_under(receiver.root / "data" / "media") == before


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(setup, tmp_path):
    receiver, _, _ = setup
    upload = tmp_path / "huge.png"
    with upload.open("wb") as out:
        out.write(PNG)
        out.truncate(100 * MB)  # sparse: costs no disk
    result = receiver.cli("post", "alice", "--image", str(upload), "--alt", "x", check=False)
    assert result.returncode != 0 and "byte limit" in result.stderr, result.stderr


def test_the_bomb_is_a_valid_png_of_400_megapixels():
    """The bomb above is what it claims, so the refusals are for the right reason."""
    bomb = png_bomb()
    assert len(bomb) < 100_000
    width, height = struct.unpack(">II", bomb[16:24])
    assert width * height == 400_000_000
    decoded = zlib.decompressobj().decompress(bomb[41:-16], 10 * MB)  # the IDAT payload
    assert decoded[:2501] == b"\x00" + bytes(2500)
