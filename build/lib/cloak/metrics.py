"""How much a cloak changes an image, measured: to people (PSNR, SSIM, L∞) and to the encoder
(cosine to the clean embedding, gain toward the target)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Image01 = NDArray[np.floating]  # H×W×3 in [0, 1]


def psnr(clean: Image01, changed: Image01) -> float:
    mse = float(np.mean((np.asarray(clean, np.float64) - np.asarray(changed, np.float64)) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(1.0 / mse)


def linf(clean: Image01, changed: Image01) -> float:
    return float(np.max(np.abs(np.asarray(clean, np.float64) - np.asarray(changed, np.float64))))


def _box(x: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    """Mean over size×size windows (valid positions only), via summed-area tables."""
    s = np.pad(x, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    total = s[size:, size:] - s[:-size, size:] - s[size:, :-size] + s[:-size, :-size]
    return total / (size * size)


def ssim(clean: Image01, changed: Image01, window: int = 7) -> float:
    """Mean SSIM over channels with a uniform 7×7 window (Wang et al. 2004, the constants
    K1 = 0.01, K2 = 0.03 for data range 1; scikit-image's default window)."""
    c1, c2 = 0.01**2, 0.03**2
    values = []
    for channel in range(np.asarray(clean).shape[2]):
        x = np.asarray(clean, np.float64)[..., channel]
        y = np.asarray(changed, np.float64)[..., channel]
        mx, my = _box(x, window), _box(y, window)
        n = window * window
        unbias = n / (n - 1)
        vx = (_box(x * x, window) - mx * mx) * unbias
        vy = (_box(y * y, window) - my * my) * unbias
        cxy = (_box(x * y, window) - mx * my) * unbias
        s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        values.append(float(s.mean()))
    return float(np.mean(values))


def cosine(a: NDArray[np.floating], b: NDArray[np.floating]) -> float:
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
