"""Where the cloak may change an artwork, and by how much: a per-pixel budget shaped by what
the eye sees, and a filter that keeps the perturbation's structure out of smooth areas.

A change is hidden by texture (contrast masking) and shown up by flat colour: on a flat sky a
change of one level with any structure to it reads as a swirl or a stripe, while the same
energy in hair or brushwork is lost. Signal-to-noise averages (PSNR, SSIM) cannot see that,
so a cloak tuned to them saturated its L∞ budget everywhere and left ripples on gradients.

The budget here is `eps` where the image is textured, nothing on flat colour, and a small
share on smooth gradients, following the usual just-noticeable-difference models (Chou & Li
1995; Yang et al. 2005): texture masking from the local standard deviation of luminance,
with the dark-region reduction the cloak had before (`luminance_share`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cloak.visibility import (
    box_mean,
    correlate_valid,
    gaussian_kernel,
    local_std,
    luminance,
)

Array = NDArray[np.floating]

# Local standard deviation of luminance, in 8-bit levels, over a 7×7 window: below FLAT the
# region is flat colour (no change at all); at TEXTURED and above it gets the whole budget.
FLAT_LEVELS = 0.75
TEXTURED_LEVELS = 8.0
# Each pixel takes the largest spread within this window, so an edge masks the changes a few
# pixels beside it (half this window plus half the 7×7 one), as it does for the eye.
EDGE_REACH = 3
# Share of the budget on a smooth gradient (between flat and textured the share rises from
# this to 1): at the default 4/255, 1.6 levels, and filtered down to grain (below).
SMOOTH_SHARE = 0.4
# The width (σ, pixels) of the Gaussian whose output is taken out of the perturbation in
# smooth areas: it keeps 7 % of a 16-pixel stripe and 27 % of an 8-pixel one (the periods the
# eye sees best at 100 %) and about 87 % of pixel-fine grain, which the eye averages away.
STRUCTURE_SIGMA = 1.0


def texture_ramp(
    image01: Array, window: int = 7
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(spread, ramp), H×W: the local standard deviation of luminance in levels, its maximum
    over each EDGE_REACH-wide neighbourhood (so an edge masks the pixels right beside it, as
    it does for the eye, and the budget does not stop dead at the edge); and where that lies
    between flat and textured, 0 to 1."""
    spread = _max_filter(local_std(_levels(image01), window), EDGE_REACH)
    ramp = np.clip((spread - FLAT_LEVELS) / (TEXTURED_LEVELS - FLAT_LEVELS), 0.0, 1.0)
    return spread, ramp


def texture_share(image01: Array) -> NDArray[np.float32]:
    """Each pixel's share of the budget from texture masking, H×W in [0, 1]: 0 on flat
    colour, SMOOTH_SHARE rising to 1 between a smooth gradient and real texture."""
    spread, ramp = texture_ramp(image01)
    share = np.where(spread < FLAT_LEVELS, 0.0, SMOOTH_SHARE + (1 - SMOOTH_SHARE) * ramp)
    return share.astype(np.float32)


def luminance_share(
    image01: Array, window: int = 7, dark: float = 32 / 255, floor: float = 0.25
) -> NDArray[np.float32]:
    """Each pixel's share from its local mean luminance, H×W: local mean over `dark`, clipped
    to [floor, 1]. Near black a change can only go up and costs the most (SSIM's luminance
    term divides by the local mean squared), so dark regions get less."""
    mean = box_mean(_levels(image01) / 255.0, window)
    return np.clip(mean / dark, floor, 1.0).astype(np.float32)


def perceptual_budget(image01: Array, eps: float) -> NDArray[np.float32]:
    """The most each pixel may change, H×W×1, never above eps."""
    share = texture_share(image01) * luminance_share(image01)
    return (eps * share)[..., None].astype(np.float32)


def smoothness(image01: Array) -> NDArray[np.float32]:
    """Where structure must be filtered out, H×W×1: 1 − texture ramp (1 on flat and smooth
    areas, 0 in full texture), and 1 wherever the pixel's own 3×3 neighbourhood is flat
    colour. That second rule is for the flat side of a hard edge: the budget there is the
    edge's, but a change that follows the edge would draw a faint second outline beside it
    (seen at 300 % on a flat illustration's sun), so only grain is left there."""
    _, ramp = texture_ramp(image01)
    smooth = 1.0 - ramp
    smooth[local_std(_levels(image01), 3) < FLAT_LEVELS] = 1.0
    return smooth[..., None].astype(np.float32)


def remove_structure(delta: Array, smooth: Array, sigma: float = STRUCTURE_SIGMA) -> Array:
    """Take the low-frequency part (wider than sigma) out of the perturbation where the image
    is smooth: a swirl, a blotch, a stripe or a grid of patch-sized cells is low-frequency or
    periodic energy that the Gaussian keeps; fine grain is what it removes."""
    return delta - smooth * gaussian(delta, sigma)


def gaussian(x: Array, sigma: float) -> NDArray[np.float32]:
    """Gaussian blur of an H×W×C array over its two image axes (edges reflected), float32,
    with cloak/visibility.py's separable correlation."""
    radius = max(1, round(3 * sigma))
    channels = np.ascontiguousarray(np.moveaxis(np.asarray(x, np.float32), -1, 0))
    padded = np.pad(channels, [(0, 0), (radius, radius), (radius, radius)], mode="reflect")
    blurred = correlate_valid(padded, gaussian_kernel(sigma, radius))
    return np.moveaxis(blurred, 0, -1)


def _max_filter(x: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    pad = size // 2
    padded = np.pad(x, pad, mode="edge")
    h, w = x.shape
    out = np.full_like(x, -np.inf)
    for dy in range(size):
        for dx in range(size):
            out = np.maximum(out, padded[dy : dy + h, dx : dx + w])
    return out


def _levels(image01: Array) -> NDArray[np.float64]:
    """Luminance in 8-bit levels of an image in [0, 1]."""
    return luminance(np.asarray(image01, np.float64) * 255.0)
