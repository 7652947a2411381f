from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from tests.instances import Instance

# One BLAS thread in the test processes, as the servers and the cloak child already have
# (tests/instances.py, cara_fed/cloak_worker.py). With two xdist workers on two cores, each
# numpy matmul otherwise runs a second OpenBLAS thread that spins while it waits for a busy
# core: the float64 ViT gradient test took 30 s of CPU instead of 9 s, and the servers the
# other worker waits on got that much less. This runs before any test module imports numpy
# (nothing above does), and the xdist workers inherit it. The computations are the same.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


@contextmanager
def _instances(root: Path) -> Iterator[Callable[..., Instance]]:
    started: list[Instance] = []

    def make(
        name: str,
        *,
        extra_config: str = "",
        extra_federation: str = "",
        instance_config: str = "",
        server_config: str = "",
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
        )
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


@pytest.fixture
def make_instance(tmp_path: Path) -> Iterator[Callable[..., Instance]]:
    """Start real instances in this test's directory; all are stopped afterwards."""
    with _instances(tmp_path) as make:
        yield make


@pytest.fixture(scope="module")
def make_module_instance(tmp_path_factory) -> Iterator[Callable[..., Instance]]:
    """Instances shared by the tests of one module (for tests that only read or are refused)."""
    with _instances(tmp_path_factory.mktemp("instances")) as make:
        yield make


@pytest.fixture
async def database(tmp_path: Path):
    """A fresh instance database (a real SQLite file) opened in this process, for tests of
    the store and the queues without a server."""
    from cara_fed.config import load_config
    from cara_fed.store.db import close_database, open_database

    (tmp_path / "instance.toml").write_text('[instance]\nurl = "https://art.example"\n')
    await open_database(load_config(tmp_path / "instance.toml"), create_schema=True)
    yield
    await close_database()


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
