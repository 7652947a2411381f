"""The cloak's perceptual budget: nothing on flat colour, a little on smooth gradients, all of
it in texture; and the filter that keeps structure out of smooth areas while leaving grain."""

from __future__ import annotations

import numpy as np
import pytest

from cloak.budget import (
    SMOOTH_SHARE,
    gaussian,
    luminance_share,
    perceptual_budget,
    remove_structure,
    smoothness,
    texture_share,
)
from tests.inbox.screening import images as img

EPS = 4 / 255


def flat(value: float = 0.5, size: int = 64) -> np.ndarray:
    return np.full((size, size, 3), value, np.float32)


def test_flat_colour_gets_no_budget_and_texture_gets_all_of_it():
    assert perceptual_budget(flat(), EPS).max() == 0.0
    photo = np.asarray(img.photo("chelsea").resize((128, 128)), np.float32) / 255.0
    budget = perceptual_budget(photo, EPS)
    assert budget.shape == (128, 128, 1)
    assert budget.max() == pytest.approx(EPS)
    assert budget.min() >= 0.0
    assert np.median(budget) > 0.5 * EPS  # a cat's fur hides most changes


def test_a_smooth_gradient_gets_a_small_share_and_an_edge_masks_its_neighbours():
    rows = np.linspace(0.3, 0.45, 64, dtype=np.float32)  # ~0.6 levels a pixel: smooth
    gradient = np.repeat(rows[:, None, None], 64, axis=1).repeat(3, axis=2)
    share = texture_share(gradient)
    assert SMOOTH_SHARE <= share.min() and share.max() < 0.5
    edge = flat(0.2)
    edge[:, 32:] = 0.8
    share = texture_share(edge)
    assert share[:, 29:35].min() == pytest.approx(1.0)  # at the edge and beside it
    assert share[:, :20].max() == 0.0  # flat far from it


def test_dark_regions_get_less():
    x = np.zeros((32, 32, 3))
    x[:, 16:] = 0.5
    share = luminance_share(x)
    assert share.shape == (32, 32)
    assert share[:, :8].max() == pytest.approx(0.25)  # black: a quarter of the budget
    assert share[:, 24:].min() == pytest.approx(1.0)  # mid-grey: all of it


def test_removing_structure_takes_out_a_stripe_and_a_blotch_but_keeps_grain():
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:128, 0:128]
    stripes = np.repeat((np.sin(2 * np.pi * x / 16) * 2 / 255)[..., None], 3, axis=2)
    blotch = np.repeat((np.exp(-((x - 64) ** 2 + (y - 64) ** 2) / 800) * 3 / 255)[..., None], 3, 2)
    grain = rng.choice([-1.0, 1.0], size=(128, 128, 3)) / 255
    smooth = smoothness(flat(size=128))
    assert smooth.min() == 1.0

    def rms(a: np.ndarray) -> float:
        return float(np.sqrt(np.mean(np.asarray(a, np.float64) ** 2)))

    assert rms(remove_structure(stripes, smooth)) < 0.2 * rms(stripes)
    assert rms(remove_structure(blotch, smooth)) < 0.1 * rms(blotch)
    assert rms(remove_structure(grain, smooth)) > 0.8 * rms(grain)
    textured = np.asarray(img.photo("chelsea").resize((128, 128)), np.float32) / 255.0
    assert np.median(smoothness(textured)) < 0.5  # texture keeps what the eye cannot see


def test_gaussian_keeps_a_constant_and_sums_to_one():
    assert np.allclose(gaussian(flat(0.3), 2.0), 0.3)
    impulse = np.zeros((41, 41, 1), np.float32)
    impulse[20, 20] = 1.0
    assert float(gaussian(impulse, 2.0).sum()) == pytest.approx(1.0, rel=1e-5)


def test_beside_a_hard_edge_the_budget_is_there_but_only_grain_may_use_it():
    edge = flat(0.2)
    edge[:, 32:] = 0.8
    smooth = smoothness(edge)[..., 0]
    assert perceptual_budget(edge, EPS)[:, 29, 0].min() == pytest.approx(EPS)  # beside it
    assert smooth[:, 29].min() == 1.0 and smooth[:, 34].min() == 1.0  # flat 3×3: filtered
    assert smooth[:, 31:33].max() < 0.5  # on the edge itself: left alone
