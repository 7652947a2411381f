"""Where to look: the flattest region of an artwork, the square where a perturbation is
easiest to see (flat colour and smooth gradients), for the artist's zoomed preview and the
bench's side-by-side crops."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cloak.visibility import local_std, luminance


def flattest_region(image: NDArray[np.uint8], side: int = 128) -> tuple[int, int, int]:
    """(left, top, side) of the side×side square, on a grid of half-side steps, whose
    luminance varies least (mean local standard deviation over 3×3 neighbourhoods, so a smooth
    gradient counts as flat and a single edge does not). Squares that are one colour count as
    flat too. The square shrinks to fit a smaller image."""
    h, w = image.shape[:2]
    side = max(1, min(side, h, w))
    detail = local_std(luminance(image), 3)
    step = max(1, side // 2)
    best, where = np.inf, (0, 0)
    for top in sorted({*range(0, h - side + 1, step), h - side}):
        for left in sorted({*range(0, w - side + 1, step), w - side}):
            score = float(detail[top : top + side, left : left + side].mean())
            if score < best:
                best, where = score, (left, top)
    return where[0], where[1], side
