"""The head and its threshold: fitted by Newton's method, scored out of fold, and a
false-positive rate reported with the bound its sample size allows."""

from __future__ import annotations

import numpy as np
import pytest

from inbox.screening.head_training import (
    TooFewImages,
    cross_validate,
    fit,
    roc_auc,
    threshold_for,
    wilson_upper,
)


def blobs(n: int, shift: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2 * n, 512))
    y = np.repeat([0, 1], n)
    x[y == 1, :8] += shift
    return x / np.linalg.norm(x, axis=1, keepdims=True), y


def test_a_separable_set_is_separated():
    x, y = blobs(60, 3.0)
    head = fit(x, y)
    assert roc_auc(head.scores(x), y) > 0.99
    validation = cross_validate(x, y, target_fpr=0.05)
    assert validation.auc > 0.95 and validation.recall > 0.8


def test_out_of_fold_scores_do_not_flatter_random_labels():
    """512 features and 100 images: any head fits its own training set, so only scores from
    heads that did not see the image tell the truth (chance, here)."""
    x, _ = blobs(50, 0.0, seed=1)
    y = np.random.default_rng(2).permutation(np.repeat([0, 1], 50))
    assert roc_auc(fit(x, y).scores(x), y) > 0.95  # in-sample: a flattering fit
    validation = cross_validate(x, y, target_fpr=0.05)
    assert 0.3 < validation.auc < 0.7
    assert validation.warnings


def test_the_threshold_flags_at_most_the_rate_asked_for():
    real = np.array([0.1, 0.2, 0.3, 0.9, 0.8, 0.4, 0.5, 0.6, 0.7, 0.35])
    assert (real >= threshold_for(real, 0.1)).sum() == 1  # one in ten allowed: 0.9 only
    assert threshold_for(real, 0.1) > 0.8
    assert (real >= threshold_for(real, 0.05)).sum() == 0


def test_the_bound_on_the_rate_narrows_with_more_real_images():
    assert wilson_upper(0, 27) == pytest.approx(0.1246, abs=1e-3)
    assert wilson_upper(0, 400) < 0.01
    assert wilson_upper(4, 400) > 0.01 > 4 / 400 * 0.9


def test_small_sets_are_warned_about_and_tiny_ones_refused():
    x, y = blobs(20, 3.0)
    validation = cross_validate(x, y, target_fpr=0.01)
    assert not validation.trusted
    assert any("too few images to trust" in w for w in validation.warnings)
    assert any("95 % bound" in w for w in validation.warnings)
    with pytest.raises(TooFewImages, match="at least 2 images of each label"):
        cross_validate(x[:21], y[:21], target_fpr=0.01)
