"""Real images for the cloak tests, made with Pillow (and one PNG written by hand)."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from typing import Any

from PIL import Image


def artwork(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """An image with structure (gradients), so encoders and blurhash have real work."""
    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            ((x * 255) // max(width - 1, 1), (y * 255) // max(height - 1, 1), (x * y) % 256)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def blank_bilevel_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of all zeros: tiny on disk, `width*height` pixels decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_per_block = 1000
    parts = []
    for start in range(0, height, rows_per_block):
        parts.append(compressor.compress(row * min(rows_per_block, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
