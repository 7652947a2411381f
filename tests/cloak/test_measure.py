from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cloak.measure import AFTER, measure
from tests.inbox.screening import images as img


def mean_colour(image: Image.Image) -> np.ndarray:
    """A stand-in encoder whose answer is easy to reason about: the mean colour."""
    return np.asarray(image.convert("RGB"), np.float64).reshape(-1, 3).mean(axis=0)


def test_measure_reports_quality_gain_and_what_survives():
    clean = np.asarray(img.photo("coffee").resize((128, 96)))
    cloaked = np.clip(clean.astype(int) + np.array([0, 0, 4]), 0, 255).astype(np.uint8)
    target = np.zeros_like(clean)
    target[..., 2] = 255  # pure blue: the cloak moved every pixel a little toward it
    report = measure(clean, cloaked, target, mean_colour)
    assert report["linf"] == pytest.approx(4 / 255)
    assert 38 < report["psnr_db"] < 50 and report["ssim"] > 0.95
    assert report["gain_toward_target"] > 0
    for name in AFTER:
        # a mean colour survives JPEG, resizing, shifting and cropping almost unchanged
        assert report[f"kept_after_{name}"] == pytest.approx(1.0, abs=0.25), name


def test_no_gain_reports_zero_kept():
    clean = np.asarray(img.photo("rocket").resize((64, 48)))
    report = measure(clean, clean.copy(), clean.copy(), mean_colour)
    assert report["gain_toward_target"] == pytest.approx(0.0, abs=1e-12)
    assert report["kept_after_jpeg_q75"] == 0.0


def test_measure_reports_gain_left_after_each_transformation_and_visibility():
    clean = np.asarray(img.photo("coffee").resize((128, 96)))
    cloaked = np.clip(clean.astype(int) + np.array([0, 0, 4]), 0, 255).astype(np.uint8)
    target = np.zeros_like(clean)
    target[..., 2] = 255
    report = measure(clean, cloaked, target, mean_colour)
    for name in AFTER:
        assert report[f"gain_after_{name}"] == pytest.approx(
            report["gain_toward_target"] * report[f"kept_after_{name}"]
        )
    for key in ("gmsd", "ms_ssim", "flat_share", "flat_rms", "flat_lowfreq_rms"):
        assert key in report
    assert report["flat_lowfreq_rms"] < 0.1  # a uniform tint has no structure
