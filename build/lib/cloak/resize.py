"""Resizing as an explicit linear map, so its adjoint is exact: each axis is a matrix of
antialiased triangle-filter weights (what bilinear resampling with antialiasing does), and an
image is resized by R_h · X · R_wᵀ per channel; a gradient goes back by R_hᵀ · G · R_w."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray


@lru_cache(maxsize=64)
def resize_matrix(n_in: int, n_out: int) -> NDArray[np.float32]:
    scale = n_in / n_out
    support = max(scale, 1.0)  # widen the filter when shrinking: antialiasing
    centres = (np.arange(n_out) + 0.5) * scale - 0.5
    positions = np.arange(n_in)
    weights = np.maximum(0.0, 1.0 - np.abs(positions[None, :] - centres[:, None]) / support)
    weights /= weights.sum(axis=1, keepdims=True)
    return weights.astype(np.float32)


def resize(x: NDArray[np.floating], height: int, width: int) -> NDArray[np.float32]:
    rh, rw = resize_matrix(x.shape[0], height), resize_matrix(x.shape[1], width)
    return np.einsum("ih,hwc,jw->ijc", rh, x.astype(np.float32), rw, optimize=True)


def resize_adjoint(g: NDArray[np.floating], height: int, width: int) -> NDArray[np.float32]:
    """The adjoint of resize() from a height×width image to g's size."""
    rh, rw = resize_matrix(height, g.shape[0]), resize_matrix(width, g.shape[1])
    return np.einsum("ih,ijc,jw->hwc", rh, g.astype(np.float32), rw, optimize=True)
