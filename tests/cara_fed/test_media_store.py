"""The media store on its own: the media directory and a bucket on a real S3 server
(SeaweedFS, tests/seaweedfs.py) behave alike for every call cara-fed makes, keys carry the
configured prefix, public objects carry the no-AI statement as metadata, and failures say
which store failed and why."""

from __future__ import annotations

import json
from datetime import UTC

import httpx
import pytest

from cara_fed.store.media_store import (
    PUBLIC_CACHE,
    LocalMediaStore,
    MediaMissing,
    MediaStore,
    MediaStoreError,
    S3MediaStore,
    S3Settings,
)
from tests.conftest import artwork
from tests.seaweedfs import ACCESS_KEY, SECRET_KEY, SeaweedFS

NOAI = {"x-robots-tag": "noai, noimageai", "tdm-reservation": "1"}


def s3_store(server: SeaweedFS, bucket: str, prefix: str = "", **changes) -> S3MediaStore:
    settings = {
        "endpoint": server.endpoint,
        "bucket": bucket,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "prefix": prefix,
        "metadata": NOAI,
        **changes,
    }
    return S3MediaStore(S3Settings(**settings))


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> MediaStore:
    if request.param == "local":
        return LocalMediaStore(tmp_path / "data" / "media")
    bucket = request.getfixturevalue("seaweedfs").new_bucket(prefix="pre/")
    request.addfinalizer(bucket.remove)
    return s3_store(bucket.server, bucket.name, "pre")


async def test_put_read_exists_delete_alike_on_disk_and_in_a_bucket(store: MediaStore):
    image = artwork(40, 30)
    name = "local/" + "ab" * 32 + ".jpg"
    assert not await store.exists(name)
    assert await store.read(name) is None
    assert await store.modified(name) is None
    with pytest.raises(MediaMissing, match="is not in"):
        await store.get(name)
    await store.delete(name)  # nothing there: not an error

    await store.put(name, image)
    assert await store.exists(name)
    assert await store.get(name) == image
    found = await store.read(name)
    assert found is not None and found.data == image
    assert found.modified == await store.modified(name)
    assert found.modified.tzinfo is UTC  # as HTTP dates need it (email.utils.format_datetime)

    await store.put_once(name, b"other bytes")  # content-addressed: what is there stays
    assert await store.get(name) == image
    await store.put(name, b"replaced")
    assert await store.get(name) == b"replaced"

    await store.delete(name)
    assert not await store.exists(name)
    assert await store.check() == "ok"


async def test_names_lists_every_file_and_nothing_else(store: MediaStore):
    """What a backup copies: every file, in order, under whatever prefix the store has."""
    assert await store.names() == []
    names = ["private/" + "c" * 64 + ".png", "local/" + "d" * 64 + ".jpg", "remote/e.thumb.jpg"]
    for name in names:
        await store.put(name, b"x")
    assert await store.names() == sorted(names)
    await store.delete(names[0])
    assert await store.names() == sorted(names[1:])


async def test_names_outside_the_store_are_refused(store: MediaStore):
    for bad in ("../escape.jpg", "local/../../escape.jpg"):
        with pytest.raises(MediaStoreError):
            await store.put(bad, b"x")


async def test_keys_carry_the_prefix_and_public_objects_the_statement(seaweedfs: SeaweedFS):
    bucket = seaweedfs.new_bucket()
    try:
        store = s3_store(seaweedfs, bucket.name, "/cara/media/")  # slashes trimmed, one added
        published, original = "local/" + "cd" * 32 + ".png", "private/" + "cd" * 32 + ".png"
        await store.put(published, artwork(20, 20, fmt="PNG"))
        await store.put(original, artwork(20, 20, fmt="PNG"))
        client = seaweedfs.client()
        keys = {o["Key"] for o in client.list_objects_v2(Bucket=bucket.name)["Contents"]}
        assert keys == {"cara/media/" + published, "cara/media/" + original}

        public = client.head_object(Bucket=bucket.name, Key="cara/media/" + published)
        assert public["ContentType"] == "image/png"
        assert public["CacheControl"] == PUBLIC_CACHE
        assert public["Metadata"] == NOAI
        private = client.head_object(Bucket=bucket.name, Key="cara/media/" + original)
        assert private["CacheControl"] == "private, no-store"
        assert private["Metadata"] == {}  # nothing about it is for the public

        # No bucket policy: nothing in it is readable without the key.
        async with httpx.AsyncClient() as anonymous:
            for name in (published, original):
                assert (await anonymous.get(f"{bucket.url}cara/media/{name}")).status_code == 403
    finally:
        bucket.remove()


async def test_failures_name_the_store_and_the_reason(seaweedfs: SeaweedFS):
    bucket = seaweedfs.new_bucket()
    try:
        wrong_key = s3_store(seaweedfs, bucket.name, secret_key="not-the-secret", attempts=1)
        with pytest.raises(
            MediaStoreError, match=rf"put_object of local/x.jpg in bucket {bucket.name}"
        ):
            await wrong_key.put("local/x.jpg", b"x")
        assert (await wrong_key.check()).startswith(f"bucket {bucket.name} refused: 403")

        missing = s3_store(seaweedfs, "cara-no-such-bucket", attempts=1)
        with pytest.raises(MediaStoreError, match="the bucket does not exist"):
            await missing.put("local/x.jpg", b"x")
        assert await missing.check() == "bucket cara-no-such-bucket does not exist"

        # Nothing listens on port 9 of loopback.
        nowhere = s3_store(seaweedfs, bucket.name, endpoint="http://127.0.0.1:9", attempts=1)
        with pytest.raises(MediaStoreError, match="is unreachable"):
            await nowhere.get("local/x.jpg")
        assert await nowhere.check() == "unreachable: EndpointConnectionError"
    finally:
        bucket.remove()


def test_a_bucket_policy_opens_only_the_public_prefixes(seaweedfs: SeaweedFS):
    """What README asks of operators in redirect mode, on this server: anonymous GetObject on
    PREFIX/local/* and PREFIX/remote/*; private originals, listing and writes stay refused."""
    bucket = seaweedfs.new_bucket(prefix="m/", public_prefixes=("local/", "remote/"))
    try:
        client = seaweedfs.client()
        policy = json.loads(client.get_bucket_policy(Bucket=bucket.name)["Policy"])
        assert policy["Statement"][0]["Principal"] == "*"
        for key in ("m/local/a.jpg", "m/remote/b.jpg", "m/private/c.jpg", "m/api-uploads/d.jpg"):
            client.put_object(Bucket=bucket.name, Key=key, Body=b"x")
        assert httpx.get(bucket.url + "m/local/a.jpg").status_code == 200
        assert httpx.get(bucket.url + "m/remote/b.jpg").status_code == 200
        assert httpx.get(bucket.url + "m/private/c.jpg").status_code == 403
        assert httpx.get(bucket.url + "m/api-uploads/d.jpg").status_code == 403
        assert httpx.get(bucket.url + "?list-type=2").status_code == 403
        assert httpx.put(bucket.url + "m/local/new.jpg", content=b"y").status_code == 403
        assert httpx.delete(bucket.url + "m/local/a.jpg").status_code == 403
    finally:
        bucket.remove()
