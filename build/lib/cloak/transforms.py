"""What platforms and scrapers do to an image, as random transformations with adjoints, so the
cloak is optimised for its expected effect after them (expectation over transformation).

Images are H×W×3 float arrays in [0, 1]. Each transform returns the transformed image and the
adjoint that carries a gradient back; JPEG has no useful derivative and passes the gradient
straight through (the usual BPDA approximation)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

Array = NDArray[np.floating]
Adjoint = Callable[[Array], Array]


def to_uint8(x: Array) -> NDArray[np.uint8]:
    return np.clip(np.rint(np.asarray(x) * 255.0), 0, 255).astype(np.uint8)


def jpeg(x: Array, quality: int) -> Array:
    buffer = io.BytesIO()
    Image.fromarray(to_uint8(x)).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())), dtype=np.float32) / 255.0


def half_resize(x: Array) -> Array:
    """Down by 2 (2×2 mean) and back up (nearest): a symmetric linear map, its own adjoint."""
    h, w = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
    out = np.array(x, copy=True)
    blocks = x[:h, :w].reshape(h // 2, 2, w // 2, 2, -1).mean(axis=(1, 3))
    out[:h, :w] = np.repeat(np.repeat(blocks, 2, axis=0), 2, axis=1)
    return out


@dataclass(frozen=True)
class Transform:
    name: str
    apply: Callable[[Array], Array]
    adjoint: Adjoint


def _identity() -> Transform:
    return Transform("identity", lambda x: x, lambda g: g)


def random_transform(rng: np.random.Generator, *, max_shift: int = 8) -> Transform:
    """One of: nothing, a horizontal flip, a circular shift, a 0.5× resize round trip, JPEG
    at quality 60–90, or a flip followed by JPEG."""
    kind = int(rng.integers(0, 6))
    if kind == 0:
        return _identity()
    if kind == 1:
        return Transform("flip", lambda x: x[:, ::-1], lambda g: g[:, ::-1])
    if kind == 2:
        dy, dx = (int(v) for v in rng.integers(-max_shift, max_shift + 1, size=2))
        return Transform(
            f"shift({dy},{dx})",
            lambda x: np.roll(x, (dy, dx), axis=(0, 1)),
            lambda g: np.roll(g, (-dy, -dx), axis=(0, 1)),
        )
    if kind == 3:
        return Transform("half-resize", half_resize, half_resize)
    quality = int(rng.integers(60, 91))
    if kind == 4:
        return Transform(f"jpeg{quality}", lambda x: jpeg(x, quality), lambda g: g)
    return Transform(
        f"flip+jpeg{quality}", lambda x: jpeg(x[:, ::-1], quality), lambda g: g[:, ::-1]
    )
