"""Where a cloak shows: figures that catch what PSNR and SSIM average away.

A cloak of ±4 levels passes PSNR ≈ 40 dB and SSIM ≈ 0.95 on every image, yet on flat colour
and smooth gradients (a night sky, a blue sky, a grey studio backdrop) the eye sees ripples,
swirls, stripes and blotches. Two things make a change visible there, and both are averaged
away by a global mean: *where* it is (on flat areas nothing masks it, in texture everything
does) and its *structure* (the eye integrates low-frequency and periodic patterns, while fine
white-noise-like grain of the same energy is at the edge of visibility at ±1 level).

So besides two published full-reference metrics (GMSD and MS-SSIM, on luminance) this module
measures the change on the flat pixels of the clean image only, in 8-bit levels, and splits
it into its low-frequency part and its strongest periodic part. All figures are in levels or
fractions, so they compare across images and sizes; numpy only (scipy comes with the test
extra's scikit-image, not with the server), and under a second for 1024×1024.

All functions take H×W×3 uint8 arrays: the clean image first, then the changed one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Image8 = NDArray[np.uint8]
Array = NDArray[np.float64]

# ITU-R BT.601 luma, as the GMSD and MS-SSIM reference code (MATLAB rgb2gray) use.
LUMA = np.array([0.299, 0.587, 0.114])

# GMSD (Xue, Zhang, Mou, Bovik, "Gradient Magnitude Similarity Deviation", IEEE TIP 2014):
# c = 170 for images in 0–255, the paper's value.
GMSD_C = 170.0

# MS-SSIM (Wang, Simoncelli, Bovik, Asilomar 2003): per-scale exponents, Gaussian window.
MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
SSIM_K1, SSIM_K2 = 0.01, 0.03
SSIM_SIGMA, SSIM_WINDOW = 1.5, 11

# A pixel is flat where the clean luminance varies less than this (std over 7×7, 8-bit
# levels). A linear ramp of slope s levels/px has a 7×7 std of 2 s, so 3 keeps any gradient
# of 0→255 over 256 px or more (std 2.0) flat, and a night sky 10→40 (0.5), and flat colour
# (0); and it keeps a smooth photo backdrop with its film grain (astronaut's grey backdrop:
# median 1.8–2.0, 75–90 % below 3), where a blotch shows as it does on flat colour. Texture
# is far above: astronaut's hair has a 5th percentile of 5.5, chelsea's fur 6.1 (cheek 3.3),
# so under 5 % of either counts as flat.
FLAT_WINDOW = 7
FLAT_THRESHOLD = 3.0

# The eye's contrast sensitivity peaks around 3–5 cycles/degree; at a normal viewing distance
# a screen pixel is about 1/40°, so that is a period of 8–13 px. A Gaussian of σ = 2 px keeps
# half the power at a period of 10.7 px and passes everything coarser (blotches, ripples,
# swirls, the ViT's patch grid upsampled), while it cuts ±1-level white grain to 1/7 of its
# RMS (the sum of the squared kernel is 1/(4πσ²)). _lowpass uses a triangle of this σ.
LOWPASS_SIGMA = 2.0

# The share of a flat pixel's low-pass neighbourhood that must be flat for it to count.
MIN_SUPPORT = 0.9

# Where one tile's worth of change is enough to see: blotches are local, so besides the
# RMS over all flat pixels the worst tile counts (side, stride; share of it that must be flat).
PEAK_TILE, PEAK_STRIDE, PEAK_MIN_FLAT = 64, 32, 0.5

# The spectrum is taken over flat tiles of this side (the largest that fits, several periods
# of the cloak's grid at 512–1024 px), each at least this share flat.
SPECTRUM_TILES = (128, 64, 32)
SPECTRUM_MIN_FLAT = 0.75


def luminance(image: Image8) -> Array:
    """BT.601 luma in 0–255 (float), H×W."""
    return np.asarray(image, np.float64)[..., :3] @ LUMA


# ---------------------------------------------------------------- filters (numpy only)


def gaussian_kernel(sigma: float, radius: int) -> Array:
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-(x**2) / (2 * sigma**2))
    return k / k.sum()


def correlate_valid(x: NDArray[np.floating], k: Array) -> NDArray[np.float32]:
    """Separable correlation with the same 1-D kernel down and across, 'valid' positions only
    (the output shrinks by len(k) - 1), by shifted adds in float32: ample for 8-bit data (the
    SSIM variances it feeds are set against C2 = 58.5), and half the memory traffic."""
    n = len(k)
    x = np.asarray(x, np.float32)
    k = np.asarray(k, np.float32)
    h, w = x.shape[-2:]
    rows = np.zeros((*x.shape[:-2], h - n + 1, w), np.float32)
    for i in range(n):
        rows += k[i] * x[..., i : h - n + 1 + i, :]
    out = np.zeros((*x.shape[:-2], h - n + 1, w - n + 1), np.float32)
    for i in range(n):
        out += k[i] * rows[..., :, i : w - n + 1 + i]
    return out


# A 9-tap triangle (two 5-wide boxes in a row): σ = 2 px exactly (σ² = 2·(5² − 1)/12),
# close to a Gaussian of LOWPASS_SIGMA and cheaper than one.
_TRIANGLE = np.array([1, 2, 3, 4, 5, 4, 3, 2, 1], np.float64) / 25


def _lowpass(x: NDArray[np.floating]) -> NDArray[np.float32]:
    """x (…×H×W) blurred by the triangle kernel, same size, reflecting at the edge, in
    float32 (changes of a few levels need no more)."""
    r = len(_TRIANGLE) // 2
    pad = [(0, 0)] * (x.ndim - 2) + [(r, r), (r, r)]
    return correlate_valid(np.pad(np.asarray(x, np.float32), pad, mode="reflect"), _TRIANGLE)


def box_mean(x: Array, size: int) -> Array:
    """Mean over size×size windows centred on each pixel (size odd), reflecting at the edge,
    via summed-area tables."""
    p = size // 2
    s = np.pad(np.pad(x, p, mode="reflect"), ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    total = s[size:, size:] - s[:-size, size:] - s[size:, :-size] + s[:-size, :-size]
    return total / (size * size)


def _half(x: Array) -> Array:
    """2×2 average then every other pixel: the reference codes' imfilter/conv2 with a 2×2
    mean followed by x(1:2:end, 1:2:end). An odd last row or column is repeated (MATLAB's
    'symmetric' padding), so it averages with itself."""
    h, w = x.shape
    x = np.pad(x, ((0, h % 2), (0, w % 2)), mode="edge")
    return 0.25 * (x[0::2, 0::2] + x[1::2, 0::2] + x[0::2, 1::2] + x[1::2, 1::2])


# ---------------------------------------------------------------- GMSD


def _prewitt_magnitude(y: Array) -> Array:
    """Gradient magnitude with the Prewitt operator divided by 3 (the paper's h_x, h_y),
    zero-padded 'same' as the reference MATLAB conv2(Y, dx, 'same')."""
    p = np.pad(y, 1)
    h, w = y.shape
    right, left = p[:, 2:], p[:, :-2]
    gx = (right - left)[0:h] + (right - left)[1 : h + 1] + (right - left)[2 : h + 2]
    down, up = p[2:, :], p[:-2, :]
    gy = (down - up)[:, 0:w] + (down - up)[:, 1 : w + 1] + (down - up)[:, 2 : w + 2]
    return np.hypot(gx, gy) / 3.0


def gmsd(clean: Image8, changed: Image8) -> float:
    """Gradient Magnitude Similarity Deviation (Xue, Zhang, Mou, Bovik 2014): 0 = identical,
    larger = worse (the paper's LIVE range is about 0–0.35).

    Luminance in 0–255, a 2×2 mean and downsampling by 2, Prewitt gradients (/3), the
    similarity map GMS = (2 m_r m_d + c) / (m_r² + m_d² + c) with c = 170 (the paper's
    constant for 8-bit images), and the standard deviation of that map (MATLAB std2, N−1):
    the reference GMSD.m to 1e-9 (tests), except that an odd last row or column is averaged
    with itself rather than with the reference's zero padding.
    Its deviation pooling is why it is here: a change that is strong in one place and absent
    elsewhere scores worse than a uniform one. Note that c = 170 is large next to the
    gradients of a ±4-level change on flat colour (m_d² ≈ 2–10), so by design it barely sees
    faint structure on flat areas: that is what flat_report is for.
    """
    m_r = _prewitt_magnitude(_half(luminance(clean)))
    m_d = _prewitt_magnitude(_half(luminance(changed)))
    gms = (2 * m_r * m_d + GMSD_C) / (m_r**2 + m_d**2 + GMSD_C)
    return float(np.std(gms, ddof=1)) if gms.size > 1 else 0.0


# ---------------------------------------------------------------- MS-SSIM


def _ssim_terms(x: Array, y: Array) -> tuple[float, float]:
    """(mean contrast-structure term, mean SSIM) over the valid positions of the 11×11
    Gaussian window (σ = 1.5), constants C1 = (K1·255)², C2 = (K2·255)², as Wang's
    ssim_index.m and msssim.m."""
    c1, c2 = (SSIM_K1 * 255) ** 2, (SSIM_K2 * 255) ** 2
    k = gaussian_kernel(SSIM_SIGMA, SSIM_WINDOW // 2)
    stack = correlate_valid(np.stack([x, y, x * x, y * y, x * y]), k).astype(np.float64)
    mx, my = stack[0], stack[1]
    vx, vy, cxy = stack[2] - mx * mx, stack[3] - my * my, stack[4] - mx * my
    cs = (2 * cxy + c2) / (vx + vy + c2)
    lum = (2 * mx * my + c1) / (mx * mx + my * my + c1)
    return float(cs.mean()), float((lum * cs).mean())


def ms_ssim_scales(height: int, width: int) -> int:
    """How many of the 5 scales fit: each needs the 11×11 window inside the image after
    halving (5 scales need a shorter side of 161 px or more)."""
    n, side = 0, min(height, width)
    while n < len(MS_SSIM_WEIGHTS) and side >= SSIM_WINDOW:
        n, side = n + 1, (side + 1) // 2
    return n


def ms_ssim(clean: Image8, changed: Image8, scales: int | None = None) -> float:
    """Multi-scale SSIM (Wang, Simoncelli, Bovik 2003) on luminance in 0–255: 1 = identical.

    Five scales with exponents (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), an 11×11 Gaussian
    window of σ = 1.5, K1 = 0.01, K2 = 0.03, 2×2 mean downsampling between scales; the
    contrast-structure term at every scale and the luminance term at the coarsest. An image
    too small for five scales (shorter side < 161 px) gets as many as fit, with their
    exponents rescaled to sum to 1 (so one scale is plain Gaussian SSIM); `scales` asks for
    fewer. Negative terms count as 0, as pytorch_msssim and piq do, so the power is defined.
    """
    x, y = luminance(clean), luminance(changed)
    n = ms_ssim_scales(*x.shape)
    n = n if scales is None else min(n, scales)
    if n == 0:
        raise ValueError(f"MS-SSIM needs at least {SSIM_WINDOW}×{SSIM_WINDOW} pixels")
    weights = np.array(MS_SSIM_WEIGHTS[:n]) / sum(MS_SSIM_WEIGHTS[:n])
    values = []
    for scale in range(n):
        cs, full = _ssim_terms(x, y)
        values.append(full if scale == n - 1 else cs)
        x, y = _half(x), _half(y)
    return float(np.prod(np.maximum(values, 0.0) ** weights))


# ---------------------------------------------------------------- flat areas


def flat_mask(
    clean: Image8, window: int = FLAT_WINDOW, threshold: float = FLAT_THRESHOLD
) -> NDArray[np.bool_]:
    """H×W: True where the clean luminance's std over window×window is below `threshold`
    8-bit levels (see FLAT_THRESHOLD): flat colour and smooth gradients, where nothing in the
    artwork masks a change."""
    return local_std(luminance(clean), window) < threshold


def local_std(levels: Array, window: int = FLAT_WINDOW) -> Array:
    """The standard deviation of each pixel's window×window neighbourhood, H×W."""
    mean = box_mean(levels, window)
    return np.sqrt(np.maximum(box_mean(levels * levels, window) - mean * mean, 0.0))


def _without_offsets(delta: Array, clean: Image8, mask: NDArray[np.bool_]) -> Array:
    """The change (C×H×W) less its mean per channel over the flat pixels, taken separately
    where the clean channel is at 0, at 255 and in between. A uniform tint is no pattern,
    and a channel pinned at 0 or 255 (white paper, black ink) can only move one way, so there
    a ±4 change becomes a uniform −2 or +2: invisible, but it would read as 2 levels of
    low-frequency "structure" if kept."""
    out = delta.copy()
    for c in range(delta.shape[0]):
        values = np.asarray(clean)[..., c]
        for group in (values == 0, values == 255, (values > 0) & (values < 255)):
            where = group & mask
            if where.any():
                out[c][where] -= out[c][where].mean()
    return out


def _lowpass_on_mask(
    delta: Array, mask: NDArray[np.bool_]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """The change (C×H×W) low-passed over flat pixels only, by normalised convolution:
    lowpass(delta·mask) / lowpass(mask), so texture next to a flat area neither leaks in nor
    dilutes it. Also returns lowpass(mask), each pixel's flat support (0–1)."""
    m = mask.astype(np.float32)
    support = _lowpass(m)
    low = _lowpass(delta.astype(np.float32) * m) / np.maximum(support, np.float32(1e-6))
    return low, support


def _rms_on(values: Array, where: NDArray[np.bool_]) -> float:
    """RMS of C×H×W values over the pixels `where` (and all channels); 0 if there are none."""
    n = int(where.sum())
    if n == 0:
        return 0.0
    total = float(np.einsum("chw,chw,hw->", values, values, where.astype(values.dtype)))
    return float(np.sqrt(total / (values.shape[0] * n)))


def _worst_tile_rms(low: Array, where: NDArray[np.bool_]) -> float:
    """The largest RMS (over RGB) of `low` on the counted pixels of any PEAK_TILE-square tile
    (stride PEAK_STRIDE) that is at least PEAK_MIN_FLAT counted: a blotch is local, and an RMS
    over a whole large image dilutes it."""
    h, w = where.shape
    side = min(PEAK_TILE, h, w)
    worst = 0.0
    sq = (low**2).sum(axis=0) * where
    for top in sorted({*range(0, h - side + 1, PEAK_STRIDE), h - side}):
        for left in sorted({*range(0, w - side + 1, PEAK_STRIDE), w - side}):
            n = int(where[top : top + side, left : left + side].sum())
            if n >= PEAK_MIN_FLAT * side * side:
                total = float(sq[top : top + side, left : left + side].sum())
                worst = max(worst, np.sqrt(total / (3 * n)))
    return worst


def _flat_tiles(mask: NDArray[np.bool_]) -> tuple[int, list[tuple[int, int]]]:
    """The largest tile side of SPECTRUM_TILES for which some non-overlapping tiles are at
    least SPECTRUM_MIN_FLAT flat, and those tiles' (top, left); (0, []) if none is."""
    h, w = mask.shape
    for side in SPECTRUM_TILES:
        tiles = [
            (top, left)
            for top in range(0, h - side + 1, side)
            for left in range(0, w - side + 1, side)
            if mask[top : top + side, left : left + side].mean() >= SPECTRUM_MIN_FLAT
        ]
        if tiles:
            return side, tiles
    return 0, []


def _peak_share(power: Array) -> float:
    """Share of the spectrum's energy in its strongest peak: the 3×3 bins around the largest
    bin (the Hann window's main lobe) and their mirror image, searched outside the 5×5 bins
    around DC. Two cycles or fewer per tile (periods of 64 px and more in a 128-px tile) are
    no repeating pattern one could count, and a blotch lives there: the low-frequency
    figures judge those."""
    side = power.shape[0]
    p = power  # DC in the middle
    c = side // 2
    search = p.copy()
    search[c - 2 : c + 3, c - 2 : c + 3] = 0.0
    total = float(p.sum())
    if total <= 0:
        return 0.0
    y, x = np.unravel_index(int(np.argmax(search)), p.shape)
    lobe = np.zeros_like(p, dtype=bool)
    for cy, cx in ((y, x), ((2 * c - y) % side, (2 * c - x) % side)):
        lobe[max(cy - 1, 0) : cy + 2, max(cx - 1, 0) : cx + 2] = True
    return float(p[lobe].sum()) / total


def _flat_spectrum(delta: Array, mask: NDArray[np.bool_]) -> tuple[Array, float] | None:
    """The change's power spectrum over flat tiles (DC in the middle) and its mean square on
    those tiles' flat pixels; None where no tile is flat enough.

    Each flat tile's change, per channel, keeps only its flat pixels, loses its
    window-weighted mean (so a constant offset does not leak into the low bins), gets a 2-D
    Hann window, and its power spectrum is summed over channels and tiles (Welch's average:
    a pattern that repeats across the image adds up, noise evens out)."""
    side, tiles = _flat_tiles(mask)
    if not tiles:
        return None
    hann = np.hanning(side + 2)[1:-1]
    window = np.outer(hann, hann)
    power = np.zeros((side, side))
    square, count = 0.0, 0
    for top, left in tiles:
        m = mask[top : top + side, left : left + side]
        d = delta[:, top : top + side, left : left + side] * m
        wm = window * m
        d = (d - (d * wm).sum(axis=(1, 2), keepdims=True) / max(wm.sum(), 1e-9)) * m
        power += (np.abs(np.fft.fft2(d * window)) ** 2).sum(axis=0)
        square += float((d**2).sum())
        count += 3 * int(m.sum())
    return np.fft.fftshift(power), square / max(count, 1)


def _axis_ratio(power: Array) -> float:
    """How much more of the spectrum lies along the horizontal and vertical frequency axes
    (within a bin) than at other orientations of the same frequency: each bin over its ring's
    mean, averaged over the axis bins outside the 5×5 around DC. White noise gives 1,
    horizontal or vertical streaks and a grid far more (period-16 stripes: 17), diagonal
    stripes less (0.1); so does a lone blotch, whose windowed tiles lean diagonal."""
    side = power.shape[0]
    yy, xx = np.mgrid[:side, :side] - side // 2
    ring = np.hypot(yy, xx).round().astype(int)
    ring_mean = np.bincount(ring.ravel(), power.ravel()) / np.bincount(ring.ravel())
    whitened = power / np.maximum(ring_mean[ring], 1e-12)
    near_axis = (np.abs(yy) <= 1) | (np.abs(xx) <= 1)
    axis = near_axis & (np.maximum(np.abs(yy), np.abs(xx)) > 2) & (ring < side // 2)
    return float(whitened[axis].mean()) if ring_mean.sum() > 0 else 0.0


def _spectral_figures(delta: Array, mask: NDArray[np.bool_]) -> dict[str, float]:
    """flat_periodicity, flat_periodic_rms and flat_axis_ratio from the flat tiles' spectrum.

    The share of the energy in one peak is the periodicity: white noise spreads over every
    bin (≈ 0.002 on 128-px tiles, up to ≈ 0.04 on a few 32-px ones), a stripe puts most of
    it in one (≈ 0.9). Times the change's mean square it gives the pattern's own RMS in
    levels, since a pattern of 0.1 level is periodic but invisible."""
    spectrum = _flat_spectrum(delta, mask)
    if spectrum is None:
        return {"flat_periodicity": 0.0, "flat_periodic_rms": 0.0, "flat_axis_ratio": 0.0}
    power, mean_square = spectrum
    share = _peak_share(power)
    return {
        "flat_periodicity": share,
        "flat_periodic_rms": float(np.sqrt(share * mean_square)),
        "flat_axis_ratio": _axis_ratio(power),
    }


def flat_report(clean: Image8, changed: Image8) -> dict[str, float]:
    """The change on the clean image's flat pixels, in 8-bit levels (over RGB):

    - flat_share: the fraction of pixels that are flat (flat_mask);
    - flat_rms: the change's RMS there, all frequencies (grain included);
    - flat_lowfreq_rms: the RMS there of the change low-passed at σ = 2 px (normalised over
      the flat pixels), less uniform tints (_without_offsets): ripples, swirls, blotches, a
      coarse grid; white grain mostly drops out (±1 level of it gives 0.14);
    - flat_lowfreq_peak: the same in the worst 64-px tile, for a blotch in one place;
    - flat_periodicity: the share (0–1) of the change's energy on flat tiles in its single
      strongest spectral peak: stripes and grids, at any frequency;
    - flat_periodic_rms: that peak's RMS in levels (how strong the repeating pattern is);
    - flat_axis_ratio: how concentrated the change's spectrum is on the horizontal and
      vertical axes (1 for noise; a grid or streaks along the pixel axes, as the ViT's
      patch grid leaves, more). No bar: it says what kind of structure, not how visible.

    An image with no flat pixels has zeros: nothing there shows a change more than texture.
    """
    mask = flat_mask(clean)
    delta = (np.asarray(changed, np.float64) - np.asarray(clean, np.float64))[..., :3]
    delta = delta.transpose(2, 0, 1)
    report = {"flat_share": float(mask.mean())}
    if not mask.any():
        names = ("rms", "lowfreq_rms", "lowfreq_peak", "periodicity", "periodic_rms", "axis_ratio")
        return report | {f"flat_{name}": 0.0 for name in names}
    flat_rms = _rms_on(delta, mask)
    delta = _without_offsets(delta, clean, mask)
    low, support = _lowpass_on_mask(delta, mask)
    # flat pixels inside a flat area (90 % of their 9×9 triangle-weighted neighbourhood
    # flat): a pattern needs room to be seen, an islet amid texture is masked by it, and its
    # low-passed estimate rests on few samples, so it would be mostly noise
    counted = mask & (support >= MIN_SUPPORT)
    return (
        report
        | {
            "flat_rms": flat_rms,
            "flat_lowfreq_rms": _rms_on(low, counted),
            "flat_lowfreq_peak": _worst_tile_rms(low, counted),
        }
        | _spectral_figures(delta, mask)
    )


# ---------------------------------------------------------------- bars


# key: (direction, bar, what a failure looks like). Calibrated in tests/cloak/test_visibility.py
# on known answers: ±1-level white noise on a photo passes, 1.5-level stripes of period 16 px
# and a 3-level blotch of radius 60 px on flat grey fail.
VISIBILITY_BARS: dict[str, tuple[str, float, str]] = {
    "flat_lowfreq_rms": ("<=", 0.6, "on flat areas the change has visible low-frequency structure"),
    "flat_lowfreq_peak": ("<=", 1.0, "on flat areas the change has a visible local blotch"),
    "flat_periodic_rms": ("<=", 0.4, "on flat areas the change has a visible repeating pattern"),
    "flat_rms": ("<=", 2.5, "on flat areas the change shows as grain"),
    "gmsd": ("<=", 0.03, "the change disturbs the image's edges and gradients (GMSD)"),
    "ms_ssim": (">=", 0.98, "the change alters the image's structure across scales (MS-SSIM)"),
}
# A repeating pattern counts only where it is a real share of the change, not the strongest
# bin of noise that is flagged (or not) as grain on its own.
PERIODICITY_BAR = 0.2


def _fails(key: str, value: float) -> bool:
    op, bar, _ = VISIBILITY_BARS[key]
    return value > bar if op == "<=" else value < bar


def visible_failures(report: dict[str, Any]) -> list[str]:
    """Human-readable reasons the change would be seen, one per figure past its bar; [] if
    none. Keys missing from `report` are not judged."""
    reasons = []
    for key, (op, bar, what) in VISIBILITY_BARS.items():
        if key not in report or not _fails(key, float(report[key])):
            continue
        if key == "flat_periodic_rms" and report.get("flat_periodicity", 1.0) < PERIODICITY_BAR:
            continue
        value = float(report[key])
        detail = f"{value:.3g}" + (" levels RMS" if key.startswith("flat_") else "")
        if key == "flat_periodic_rms":
            detail += f", {report['flat_periodicity']:.0%} of its energy in one frequency"
        bound = "at most" if op == "<=" else "at least"
        reasons.append(f"{what}: {detail} (bar: {bound} {bar:g})")
    return reasons


def measure_visibility(clean: Image8, changed: Image8) -> dict[str, float]:
    """GMSD, MS-SSIM and the flat-area figures of one clean/changed pair, for the bars."""
    if np.shape(clean) != np.shape(changed):
        raise ValueError(f"images differ in shape: {np.shape(clean)} vs {np.shape(changed)}")
    return {"gmsd": gmsd(clean, changed), "ms_ssim": ms_ssim(clean, changed)} | flat_report(
        clean, changed
    )
