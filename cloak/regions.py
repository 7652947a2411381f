"""Where to look: the flattest region of an artwork, the square where a perturbation is
easiest to see (flat colour and smooth gradients), for the artist's zoomed preview and the
bench's side-by-side crops."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cloak.visibility import local_std, luminance

# Squares darker than this on average (8-bit luminance) show no change to anyone: a flat black
# area is the flattest part of many images, and the least useful one to look at.
DARK = 16.0


def flattest_region(image: NDArray[np.uint8], side: int = 128) -> tuple[int, int, int]:
    """(left, top, side) of the side×side square, on a grid of half-side steps, whose
    luminance varies least (mean local standard deviation over 3×3 neighbourhoods, so a smooth
    gradient counts as flat and a single edge does not), leaving out near-black squares
    unless the image has nothing else. The square shrinks to fit a smaller image."""
    h, w = image.shape[:2]
    side = max(1, min(side, h, w))
    lum = luminance(image)
    detail = local_std(lum, 3)
    step = max(1, side // 2)
    best, where = (True, np.inf), (0, 0)
    for top in sorted({*range(0, h - side + 1, step), h - side}):
        for left in sorted({*range(0, w - side + 1, step), w - side}):
            square = (slice(top, top + side), slice(left, left + side))
            score = (float(lum[square].mean()) < DARK, float(detail[square].mean()))
            if score < best:
                best, where = score, (left, top)
    return where[0], where[1], side
