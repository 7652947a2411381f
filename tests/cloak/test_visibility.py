"""The visibility figures against known answers, on synthetic changes of known structure:
faint stripes and a faint blotch on flat colour must be flagged, white noise of the same
energy on a photo must not. (Today's cloak on real images is measured by hand, not here:
it takes minutes.)"""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data
from skimage.metrics import structural_similarity
from skimage.transform import downscale_local_mean

from cloak.visibility import (
    MS_SSIM_WEIGHTS,
    VISIBILITY_BARS,
    flat_mask,
    flat_report,
    gmsd,
    luminance,
    measure_visibility,
    ms_ssim,
    ms_ssim_scales,
    visible_failures,
)

N = 256
KEYS = {"gmsd", "ms_ssim", "flat_share", "flat_rms", "flat_lowfreq_rms", "flat_periodicity"}


def flat(colour: tuple[int, int, int] = (128, 128, 128), n: int = N) -> np.ndarray:
    return np.full((n, n, 3), colour, np.uint8)


def gradient(lo: float, hi: float, width: int = N, height: int = N) -> np.ndarray:
    """A smooth left-to-right grey ramp, rounded to 8 bits."""
    ramp = np.tile(np.linspace(lo, hi, width), (height, 1)).round()
    return np.repeat(ramp[..., None], 3, axis=2).astype(np.uint8)


def add(image: np.ndarray, change: np.ndarray) -> np.ndarray:
    """The image plus a change (H×W, the same on R, G and B, or H×W×3), rounded and clipped to
    8 bits, as a cloak's output is."""
    change = change[..., None] if change.ndim == 2 else change
    return np.clip(np.round(image.astype(np.float64) + change), 0, 255).astype(np.uint8)


def stripes(amplitude: float, period: float = 16, n: int = N) -> np.ndarray:
    return np.tile(amplitude * np.sin(2 * np.pi * np.arange(n) / period), (n, 1))


def blotch(amplitude: float = 3.0, radius: float = 60.0, n: int = N) -> np.ndarray:
    """A Gaussian bump in the middle: amplitude·exp(-(r/radius)²)."""
    y, x = np.mgrid[:n, :n] - n / 2
    return amplitude * np.exp(-(x**2 + y**2) / radius**2)


def white_noise(shape: tuple[int, ...], amplitude: int = 1, seed: int = 0) -> np.ndarray:
    """±amplitude levels, each pixel and channel at random: fine grain."""
    return np.random.default_rng(seed).choice([-amplitude, amplitude], size=shape).astype(float)


def photo(name: str) -> np.ndarray:
    return getattr(skimage.data, name)()


def change_rms(clean: np.ndarray, changed: np.ndarray) -> float:
    return float(np.sqrt(np.mean((changed.astype(float) - clean) ** 2)))


# ---------------------------------------------------------------- GMSD and MS-SSIM


def test_gmsd_is_zero_for_identical_images_and_grows_with_noise():
    clean = photo("astronaut")[:256, :256]
    assert gmsd(clean, clean) == 0.0
    scores = [gmsd(clean, add(clean, white_noise(clean.shape, a))) for a in (1, 2, 4, 8)]
    assert scores == sorted(scores) and scores[0] > 0


def test_gmsd_is_the_reference_matlab_code_transcribed():
    """Xue et al.'s GMSD.m line by line, with scipy.ndimage (it comes with scikit-image in the
    test extra) for MATLAB's zero-padded conv2 'same': aveY = conv2(Y, fspecial('average',
    2), 'same'); Y = aveY(1:2:end, 1:2:end); Prewitt/3 by conv2 'same'; T = 170; std2."""
    from scipy import ndimage

    def reference(y1: np.ndarray, y2: np.ndarray) -> float:
        def down(y: np.ndarray) -> np.ndarray:  # conv2 'same' with a 2×2 kernel: y(i), y(i+1)
            return ndimage.uniform_filter(y, size=2, mode="constant", origin=-1)[::2, ::2]

        dx = np.array([[1, 0, -1]] * 3) / 3

        def magnitude(y: np.ndarray) -> np.ndarray:
            gx = ndimage.convolve(y, dx, mode="constant")
            gy = ndimage.convolve(y, dx.T, mode="constant")
            return np.sqrt(gx**2 + gy**2)

        m1, m2 = magnitude(down(y1)), magnitude(down(y2))
        return float(np.std((2 * m1 * m2 + 170) / (m1**2 + m2**2 + 170), ddof=1))

    clean = photo("coffee")[:200, :300]
    changed = add(clean, white_noise(clean.shape, 6) + stripes(3.0, n=300)[:200, :, None])
    assert gmsd(clean, changed) == pytest.approx(
        reference(luminance(clean), luminance(changed)), rel=1e-9
    )


def test_ms_ssim_is_one_for_identical_images_and_falls_with_noise():
    clean = photo("astronaut")[:256, :256]
    assert ms_ssim(clean, clean) == pytest.approx(1.0, abs=1e-12)
    scores = [ms_ssim(clean, add(clean, white_noise(clean.shape, a))) for a in (1, 2, 4, 8, 16)]
    assert scores == sorted(scores, reverse=True) and scores[0] < 1.0


def test_one_scale_of_ms_ssim_is_scikit_images_gaussian_ssim():
    """scikit-image has no MS-SSIM, but its SSIM with the same window (11×11 Gaussian,
    σ = 1.5, population covariance) is MS-SSIM with one scale."""
    clean = photo("coffee")[:200, :300]
    changed = add(clean, white_noise(clean.shape, 3))
    reference = structural_similarity(
        luminance(clean),
        luminance(changed),
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
        data_range=255,
    )
    assert ms_ssim(clean, changed, scales=1) == pytest.approx(reference, abs=1e-5)


def test_ms_ssim_matches_a_reference_built_from_scikit_image_scale_by_scale():
    """Wang et al.'s product: contrast-structure at scales 1–4 (scikit-image's SSIM with a
    huge K1 has a luminance term of 1, so it is the mean contrast-structure), full SSIM at
    scale 5, each after 2×2 mean downsampling (scikit-image's downscale_local_mean)."""
    clean = photo("astronaut")[128:384, 128:384]
    changed = add(clean, white_noise(clean.shape, 4) + stripes(2.0)[..., None])
    x, y = luminance(clean), luminance(changed)
    terms = []
    for scale in range(5):
        k1 = 0.01 if scale == 4 else 1e4
        ssim_kwargs = {"gaussian_weights": True, "sigma": 1.5, "use_sample_covariance": False}
        terms.append(structural_similarity(x, y, data_range=255, K1=k1, **ssim_kwargs))
        x, y = downscale_local_mean(x, (2, 2)), downscale_local_mean(y, (2, 2))
    reference = float(np.prod(np.array(terms) ** np.array(MS_SSIM_WEIGHTS)))
    assert ms_ssim(clean, changed) == pytest.approx(reference, abs=1e-5)


def test_ms_ssim_uses_as_many_scales_as_fit_on_small_images():
    assert ms_ssim_scales(512, 512) == 5
    assert ms_ssim_scales(161, 400) == 5
    assert ms_ssim_scales(160, 400) == 4
    assert ms_ssim_scales(64, 64) == 3
    small = photo("astronaut")[:64, :64]
    assert ms_ssim(small, small) == pytest.approx(1.0)
    assert 0 < ms_ssim(small, add(small, white_noise(small.shape, 4))) < 1
    with pytest.raises(ValueError):
        ms_ssim(small[:8, :8], small[:8, :8])


# ---------------------------------------------------------------- flat areas


@pytest.mark.parametrize(
    ("name", "image"),
    [
        ("0→255 over 1024 px", gradient(0, 255, width=1024, height=32)),
        ("night sky 10→40 over 1024 px", gradient(10, 40, width=1024, height=32)),
        ("0→255 over 256 px", gradient(0, 255, width=256, height=32)),
        ("flat colour", flat((110, 170, 230))),
    ],
)
def test_smooth_gradients_and_flat_colour_are_flat(name, image):
    assert flat_mask(image).all(), name


def test_texture_is_not_flat_but_a_smooth_photo_backdrop_is():
    astronaut, chelsea = photo("astronaut"), photo("chelsea")
    hair = flat_mask(astronaut)[25:95, 165:295]
    fur = flat_mask(chelsea)[10:120, 150:320]
    backdrop = flat_mask(astronaut)[10:140, 300:370]  # the grey studio backdrop, film grain
    assert hair.mean() < 0.05 and fur.mean() < 0.05
    assert backdrop.mean() > 0.6


# ---------------------------------------------------------------- the known answers


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("flat grey", flat()),
        ("flat blue", flat((110, 170, 230))),
        ("grey gradient 40→200", gradient(40, 200)),
        ("dark night-sky gradient 10→40", gradient(10, 40)),
    ],
)
@pytest.mark.parametrize("amplitude", [1.5, 2.0])
def test_faint_stripes_on_flat_colour_and_gradients_are_flagged(name, clean, amplitude):
    report = measure_visibility(clean, add(clean, stripes(amplitude)))
    failures = visible_failures(report)
    assert any("low-frequency structure" in f for f in failures), (name, report)
    assert any("repeating pattern" in f for f in failures), (name, report)


def test_fine_stripes_are_flagged_as_a_repeating_pattern_though_they_are_not_low_frequency():
    clean = flat()
    report = measure_visibility(clean, add(clean, stripes(1.5, period=4)))
    assert report["flat_lowfreq_rms"] < 0.2
    assert report["flat_periodicity"] > 0.9
    assert any("repeating pattern" in f for f in visible_failures(report))


def test_a_faint_blotch_on_flat_grey_is_flagged():
    clean = flat()
    report = measure_visibility(clean, add(clean, blotch(3.0, 60)))
    failures = visible_failures(report)
    assert any("local blotch" in f for f in failures), report
    assert any("low-frequency structure" in f for f in failures), report


def test_a_blotch_is_flagged_in_one_corner_of_a_large_flat_image():
    """An RMS over the whole image dilutes a local defect; the worst tile does not."""
    clean = flat(n=512)
    bump = np.zeros((512, 512))
    bump[:256, :256] = blotch(3.0, 60)
    report = flat_report(clean, add(clean, bump))
    assert report["flat_lowfreq_rms"] < VISIBILITY_BARS["flat_lowfreq_rms"][1]
    assert any("local blotch" in f for f in visible_failures(report))


@pytest.mark.parametrize("name", ["astronaut", "chelsea"])
def test_white_noise_of_the_same_energy_on_a_photo_is_not_flagged(name):
    clean = photo(name)
    noisy = add(clean, white_noise(clean.shape, 1))
    striped = add(flat(), stripes(1.5))
    # the same energy as the stripes that are flagged above (RMS ≈ 1 level either way)
    assert change_rms(clean, noisy) == pytest.approx(change_rms(flat(), striped), rel=0.25)
    report = measure_visibility(clean, noisy)
    assert visible_failures(report) == [], report


def test_white_noise_on_flat_colour_has_far_less_low_frequency_structure_than_stripes():
    clean = flat((110, 170, 230))
    noise = flat_report(clean, add(clean, white_noise(clean.shape, 1)))
    lines = flat_report(clean, add(clean, stripes(1.5)))
    assert noise["flat_rms"] == pytest.approx(lines["flat_rms"], rel=0.15)  # same energy
    assert lines["flat_lowfreq_rms"] >= 3 * noise["flat_lowfreq_rms"]
    assert lines["flat_periodicity"] >= 10 * noise["flat_periodicity"]
    assert visible_failures(noise) == []


def test_a_uniform_tint_or_a_one_sided_change_on_white_paper_is_not_structure():
    """A channel at 255 can only go down, so ±a becomes a uniform −a/2 on average: no pattern."""
    grey, paper = flat(), flat((255, 255, 255))
    tint = flat_report(grey, add(grey, np.full((N, N), 2.0)))
    rng = np.random.default_rng(1)
    one_sided = flat_report(paper, add(paper, rng.choice([-2.0, 2.0], size=(N, N, 3))))
    for report in (tint, one_sided):
        assert report["flat_lowfreq_rms"] < 0.2, report
        assert not any("low-frequency" in f for f in visible_failures(report))


def test_axis_ratio_tells_streaks_along_the_pixel_axes_from_noise_and_diagonals():
    clean = flat()
    y, x = np.mgrid[:N, :N]
    diagonal = 1.5 * np.sin(2 * np.pi * (x + y) / 16)
    noise = flat_report(clean, add(clean, white_noise(clean.shape, 1)))
    upright = flat_report(clean, add(clean, stripes(1.5)))
    slanted = flat_report(clean, add(clean, diagonal))
    assert noise["flat_axis_ratio"] == pytest.approx(1.0, abs=0.2)
    assert upright["flat_axis_ratio"] > 5
    assert slanted["flat_axis_ratio"] < 1.0


# ---------------------------------------------------------------- the interface


def test_measure_visibility_reports_every_figure_and_identical_images_pass():
    clean = photo("astronaut")[:256, :256]
    report = measure_visibility(clean, clean)
    assert KEYS <= set(report)
    assert report["gmsd"] == 0 and report["ms_ssim"] == pytest.approx(1.0)
    assert report["flat_rms"] == report["flat_lowfreq_rms"] == report["flat_periodicity"] == 0
    assert 0 < report["flat_share"] < 1
    assert visible_failures(report) == []


def test_an_image_with_no_flat_pixels_has_no_flat_figures():
    texture = np.random.default_rng(2).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    report = flat_report(texture, add(texture, stripes(2.0, n=64)))
    assert report == dict.fromkeys(report, 0.0)


def test_failures_name_the_figure_its_value_and_its_bar():
    report = {"flat_lowfreq_rms": 0.9, "flat_periodicity": 0.05, "flat_periodic_rms": 0.8}
    (reason,) = visible_failures(report)  # the weak periodicity is not a repeating pattern
    assert reason == (
        "on flat areas the change has visible low-frequency structure: 0.9 levels RMS "
        "(bar: at most 0.6)"
    )
    assert visible_failures({"ms_ssim": 0.9})[0].endswith("0.9 (bar: at least 0.98)")


def test_images_of_different_shapes_are_refused():
    with pytest.raises(ValueError, match="shape"):
        measure_visibility(flat(n=32), flat(n=64))
