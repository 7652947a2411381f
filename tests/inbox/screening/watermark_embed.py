"""Writing the Stable Diffusion watermark the way the reference code does, to make test images
(SD 1.x/2.x: uint8 BGR through imwatermark's encoder; SDXL: float32 pixels, saved by
truncation). Cross-checked pixel for pixel against imwatermark 0.2.0 when it was written."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from inbox.screening.watermark import (
    _C,
    _HALF,
    _SHIFT,
    BLOCK,
    SCALE,
    blocks_of,
    carriers,
    haar_dwt2,
    rgb_to_yuv,
    rgb_to_yuv_float,
)


def _yuv_to_rgb(y, u, v) -> NDArray[np.uint8]:
    du, dv = u - 128, v - 128
    b = y + ((du * 33292 + _HALF) >> _SHIFT)
    g = y + ((du * -6472 + dv * -9519 + _HALF) >> _SHIFT)
    r = y + ((dv * 18678 + _HALF) >> _SHIFT)
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)


def _yuv_to_rgb_float(y, u, v) -> NDArray[np.float32]:
    du, dv = u - 0.5, v - 0.5
    return np.stack([y + dv * 1.140, y + du * -0.395 + dv * -0.581, y + du * 2.032], -1).astype(
        np.float32
    )


def _haar_idwt2(ca, details) -> NDArray[Any]:
    ch, cv, cd = details
    c = ca.dtype.type(_C)

    def merge(a, d, axis):
        out = np.empty((*a.shape[:axis], 2 * a.shape[axis], *a.shape[axis + 1 :]), a.dtype)
        even, odd = [slice(None)] * a.ndim, [slice(None)] * a.ndim
        even[axis], odd[axis] = slice(0, None, 2), slice(1, None, 2)
        out[tuple(even)] = c * a + c * d
        out[tuple(odd)] = c * a - c * d
        return out

    return merge(merge(ca, cv, 1), merge(ch, cd, 1), 0)


def _embed(plane, bits) -> NDArray[Any]:
    ca, (ch, cv, cd) = haar_dwt2(plane)
    blocks = blocks_of(ca)
    rows = np.arange(len(blocks))
    pos = carriers(blocks)
    value = blocks[rows, pos]
    q = (np.abs(value) // SCALE + 0.25 + 0.5 * bits[rows % len(bits)]) * SCALE
    blocks[rows, pos] = np.where(value >= 0, q, -q)
    nby, nbx = ca.shape[0] // BLOCK, ca.shape[1] // BLOCK
    ca[: nby * BLOCK, : nbx * BLOCK] = (
        blocks.reshape(nby, nbx, BLOCK, BLOCK).transpose(0, 2, 1, 3).reshape(nby * BLOCK, -1)
    )
    return _haar_idwt2(ca, (cv, ch, cd))  # the reference swaps the detail bands


def encode_bits(rgb: NDArray[np.uint8], bits, *, sdxl: bool = False) -> NDArray[np.uint8]:
    payload = np.asarray(bits, np.int64).ravel() % 2
    h4, w4 = rgb.shape[0] // 4 * 4, rgb.shape[1] // 4 * 4
    if sdxl:
        y, u, v = rgb_to_yuv_float(rgb)
        u[:h4, :w4] = _embed(u[:h4, :w4], payload)
        out = np.clip(_yuv_to_rgb_float(y, u, v) / np.float32(255), 0, 1)
        return (np.float32(255.0) * out).astype(np.uint8)
    y, u, v = rgb_to_yuv(rgb)
    plane = _embed(u[:h4, :w4].astype(np.float64), payload)
    u[:h4, :w4] = np.trunc(plane).astype(np.int64) & 0xFF
    return _yuv_to_rgb(y, u, v)
