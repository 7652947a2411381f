from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.instances import Instance


@pytest.fixture
def make_instance(tmp_path: Path) -> Iterator[Callable[..., Instance]]:
    """Start real instances in this test's directory; all are stopped afterwards."""
    started: list[Instance] = []

    def make(name: str, *, extra_config: str = "", start: bool = True) -> Instance:
        instance = Instance(name=name, root=tmp_path / name, extra_config=extra_config)
        instance.write_config()
        started.append(instance)
        if start:
            instance.start()
        return instance

    yield make
    for instance in started:
        instance.stop()


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
