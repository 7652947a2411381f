"""A remote image goes to a spool file as it arrives, not into memory (issue 18, item 5), over
real HTTP from a loopback server: a 24 MB image is fetched with a few megabytes of
Python memory at its peak, its hash and size taken on the way, and a gzip-encoded one is
inflated as it streams. The spool directory is gone afterwards, whatever happened in it."""

from __future__ import annotations

import gzip
import hashlib
import tracemalloc
from pathlib import Path

import pytest

from activitypub.note import Attachment
from cara_fed.store.media_store import LocalMediaStore
from federation.http_client import GuardedClient
from inbox.remote_media import RemoteMedia
from tests.conftest import artwork
from tests.fake_peer import FakePeer, File

MB = 1 << 20


@pytest.fixture
def peer():
    server = FakePeer().start()
    yield server
    server.stop()


def remote_media(tmp_path: Path, client: GuardedClient) -> RemoteMedia:
    return RemoteMedia(
        client,
        LocalMediaStore(tmp_path / "media"),
        max_bytes=40 * MB,
        max_pixels=60_000_000,
        jpeg_quality=90,
        spool_root=tmp_path / "spool",
    )


def attachment(url: str) -> Attachment:
    return Attachment(url=url, media_type="image/jpeg")


async def test_a_large_image_streams_to_a_file_not_to_memory(tmp_path, peer):
    # A real JPEG followed by zeros up to 24 MB: decoders stop at the image's end.
    jpeg = artwork(64, 48, seed=3)
    url = peer.add_file("/big.jpg", File(jpeg, "image/jpeg", pad_to=24 * MB))
    client = GuardedClient(allow_private=True, user_agent="test", max_bytes=2 * MB)
    media = remote_media(tmp_path, client)
    try:
        async with media.spool() as spool:
            tracemalloc.start()
            fetched = await media.fetch(attachment(url), spool, 0)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert fetched.error is None and fetched.path is not None
            assert fetched.path.parent == spool and fetched.size == 24 * MB
            whole = jpeg + bytes(24 * MB - len(jpeg))
            assert fetched.sha256 == hashlib.sha256(whole).hexdigest()
            assert (fetched.info.width, fetched.info.height) == (64, 48)
            stored = await media.store(fetched)
            assert (tmp_path / "media" / stored.file_name).stat().st_size == 24 * MB
    finally:
        await client.aclose()
    # Held in memory, the body alone would be 24 MB (twice that while joined). The peak
    # counts the loopback server's own 1 MB chunks too: it runs in this process.
    assert peak < 4 * MB, f"{peak} bytes at the peak while fetching"
    assert not any((tmp_path / "spool").iterdir())  # the post's spool is gone


async def test_a_gzip_encoded_image_is_inflated_as_it_streams(tmp_path, peer):
    jpeg = artwork(64, 48, seed=4)
    url = peer.add_file(
        "/zipped.jpg", File(gzip.compress(jpeg), "image/jpeg", content_encoding="gzip")
    )
    client = GuardedClient(allow_private=True, user_agent="test")
    media = remote_media(tmp_path, client)
    try:
        async with media.spool() as spool:
            fetched = await media.fetch(attachment(url), spool, 0)
            assert fetched.error is None
            assert fetched.path.read_bytes() == jpeg
            assert fetched.sha256 == hashlib.sha256(jpeg).hexdigest()
    finally:
        await client.aclose()


async def test_the_spool_is_removed_when_the_handler_fails(tmp_path, peer):
    client = GuardedClient(allow_private=True, user_agent="test")
    media = remote_media(tmp_path, client)
    with pytest.raises(RuntimeError):
        async with media.spool() as spool:
            (spool / "0.download").write_bytes(b"partial")
            raise RuntimeError("the handler failed")
    await client.aclose()
    assert not any((tmp_path / "spool").iterdir())
