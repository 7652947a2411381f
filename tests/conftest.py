from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from tests.instances import Instance

if TYPE_CHECKING:
    from tests.seaweedfs import Bucket, SeaweedFS

# One BLAS thread in the test processes, as the servers and the cloak child already have
# (tests/instances.py, cara_fed/cloak_worker.py). With two xdist workers on two cores, each
# numpy matmul otherwise runs a second OpenBLAS thread that spins while it waits for a busy
# core: the float64 ViT gradient test took 30 s of CPU instead of 9 s, and the servers the
# other worker waits on got that much less. This runs before any test module imports numpy
# (nothing above does), and the xdist workers inherit it. The computations are the same.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgres"),
        default=os.environ.get("CARA_TEST_DATABASE", "sqlite"),
        help="where the test instances keep their rows: the embedded SQLite file (default) "
        "or a fresh database each on the PostgreSQL server at 127.0.0.1:5432",
    )
    parser.addoption(
        "--media",
        choices=("local", "s3"),
        default=os.environ.get("CARA_TEST_MEDIA", "local"),
        help="where the test instances keep their media: the media directory (default) or a "
        "fresh bucket each on a SeaweedFS server the tests start (tests/seaweedfs.py)",
    )


_DATABASE = {"kind": "sqlite", "media": "local"}


def pytest_configure(config) -> None:
    _DATABASE["kind"] = config.getoption("--database")
    _DATABASE["media"] = config.getoption("--media")


def on_postgres() -> bool:
    return _DATABASE["kind"] == "postgres"


def on_s3() -> bool:
    return _DATABASE["media"] == "s3"


@pytest.fixture(scope="session")
def seaweedfs() -> Iterator[SeaweedFS]:
    """A SeaweedFS server (S3 on loopback) for this test process. Without the `weed` binary
    the tests that need it are skipped, saying why, except in CI, where they fail."""
    from tests import seaweedfs as weed

    reason = weed.unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = weed.SeaweedFS().start()
    try:
        yield server
    finally:
        server.cleanup()


@contextmanager
def _instances(root: Path, request) -> Iterator[Callable[..., Instance]]:
    started: list[Instance] = []

    def make(
        name: str,
        *,
        extra_config: str = "",
        media_config: str = "",
        bucket: Bucket | None = None,
        extra_federation: str = "",
        instance_config: str = "",
        server_config: str = "worker_processes = 1",
        cloak_config: str = "enabled = false",
        allow_private: bool = True,
        webfinger_http: bool | None = None,
        start: bool = True,
    ) -> Instance:
        instance = Instance(
            name=name,
            root=root / name,
            extra_config=extra_config,
            server_config=server_config,
            extra_federation=extra_federation,
            instance_config=instance_config,
            cloak_config=cloak_config,
            allow_private=allow_private,
            webfinger_http=webfinger_http,
            media_config=media_config,
            bucket=bucket,
        )
        if bucket is None and on_s3():  # --media s3: a bucket of its own, under a prefix
            instance.bucket = request.getfixturevalue("seaweedfs").new_bucket(prefix="media/")
            instance.media_config = f"{instance.bucket.media_config()}\n{media_config}"
        if on_postgres():
            from tests import postgres

            instance.database_url = postgres.create_database()
        instance.write_config()
        started.append(instance)
        if start:
            instance.start()
        return instance

    try:
        yield make
    finally:
        for instance in started:
            instance.stop()
        for instance in started:
            if instance.database_url:
                from tests import postgres

                postgres.drop_database(instance.database_url)
            if instance.bucket is not None:
                instance.bucket.remove()


@pytest.fixture
def make_instance(tmp_path: Path, request) -> Iterator[Callable[..., Instance]]:
    """Start real instances in this test's directory; all are stopped afterwards."""
    with _instances(tmp_path, request) as make:
        yield make


@pytest.fixture(scope="module")
def make_module_instance(tmp_path_factory, request) -> Iterator[Callable[..., Instance]]:
    """Instances shared by the tests of one module (for tests that only read or are refused)."""
    with _instances(tmp_path_factory.mktemp("instances"), request) as make:
        yield make


async def _open_fresh(tmp_path: Path, postgres: bool) -> AsyncIterator[None]:
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    from cara_fed.config import load_config
    from cara_fed.store.db import close_database, open_database
    from tests import postgres as pg

    # tortoise keeps each table's INSERT statement per connection name, not per database
    # kind: a test process that opened SQLite and then PostgreSQL would send SQLite's `?`
    # placeholders. A server never switches; a test process does.
    EXECUTOR_CACHE.clear()
    url = pg.create_database() if postgres else ""
    (tmp_path / "instance.toml").write_text(
        f'[instance]\nurl = "https://art.example"\n[database]\nurl = "{url}"\n'
    )
    await open_database(load_config(tmp_path / "instance.toml"), create_schema=True)
    try:
        yield
    finally:
        await close_database()
        if url:
            pg.drop_database(url)


@pytest.fixture
async def database(tmp_path: Path):
    """A fresh instance database opened in this process, for tests of the store and the
    queues without a server: a real SQLite file, or with `--database postgres` a new
    database on the PostgreSQL server."""
    async for _ in _open_fresh(tmp_path, on_postgres()):
        yield


@pytest.fixture
async def postgres_database(tmp_path: Path):
    """For tests of what only PostgreSQL does (they need its server at 127.0.0.1:5432,
    which every machine of this project runs): a new database there, whatever --database.
    Without the server they are skipped, saying why, except in CI, where they fail."""
    from tests import postgres as pg

    reason = pg.unavailable()
    if reason and not os.environ.get("CI"):
        pytest.skip(reason)
    async for _ in _open_fresh(tmp_path, True):
        yield


@pytest.fixture(params=["sqlite", "postgres"])
def each_database(request):
    """The test once on a fresh SQLite file and once on a fresh PostgreSQL database (see
    `postgres_database`), for hand-written SQL that must mean the same on both."""
    request.getfixturevalue("postgres_database" if request.param == "postgres" else "database")
    return request.param


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """A (alice) follows bob on B; shared by a module's tests."""
    a = make_module_instance("a")
    b = make_module_instance("b")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    return a, b


def artwork(width: int = 320, height: int = 240, seed: int = 1, fmt: str = "JPEG") -> bytes:
    """A real image with structure (not a flat colour), so re-encoding and blurhash do work."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for x in range(width):
        for y in range(height):
            pixels[x, y] = ((x * seed) % 256, (y * 3 + seed) % 256, ((x ^ y) * seed) % 256)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()
