"""Fitting a detector head on the bundled encoder's embeddings, and choosing its threshold by
cross-validation for a stated false-positive rate. Pure numpy: a 512-feature logistic
regression is a few Newton steps, not a reason for scikit-learn in the server's install.

Why so careful about the threshold: on 155 photos a head fitted this way looked good on its
own training data and then flagged 7 % of independent real images at the threshold chosen
there. Here every score used to choose the threshold or to report AUC comes from a model
that did not see that image (out-of-fold), and the report says how far the measured
false-positive rate can be trusted for the number of real images behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

L2 = 1.0  # ridge penalty on standardised features, as scikit-learn's default C = 1
MIN_PER_LABEL = 50  # fewer images of either label than this: the report warns
Z95 = 1.959964


@dataclass(frozen=True)
class Head:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def scores(self, embeddings: np.ndarray) -> np.ndarray:
        z = ((embeddings - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    ai: int
    real: int
    auc: float
    threshold: float
    target_fpr: float
    fpr: float  # out-of-fold share of real images at or above the threshold
    fpr_upper_95: float  # Wilson's 95 % upper bound on that share
    recall: float  # out-of-fold share of generated images at or above the threshold
    warnings: tuple[str, ...]

    @property
    def trusted(self) -> bool:
        return not self.warnings


def fit(embeddings: np.ndarray, labels: np.ndarray, l2: float = L2) -> Head:
    """L2-regularised logistic regression by Newton's method, each label weighted to half of
    the total so that the majority label does not set the bias."""
    x = np.asarray(embeddings, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    n_ai, n_real = y.sum(), len(y) - y.sum()
    weight = np.where(y == 1, len(y) / (2 * n_ai), len(y) / (2 * n_real))
    penalty = np.full(xs.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not penalised
    w = np.zeros(xs.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -60, 60)))
        gradient = xs.T @ (weight * (p - y)) + penalty * w
        hessian = (xs.T * (weight * p * (1 - p))) @ xs + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return Head(mean, scale, w[:-1], float(w[-1]))


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a generated image outscores a real one (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def threshold_for(real_scores: np.ndarray, target_fpr: float) -> float:
    """The lowest threshold that flags at most `target_fpr` of these real images: just above
    the (k+1)-th highest real score, k being the false positives the target allows."""
    ordered = np.sort(real_scores)[::-1]
    allowed = math.floor(target_fpr * len(ordered) + 1e-9)
    if allowed >= len(ordered):
        return 0.0
    return float(np.nextafter(ordered[allowed], np.inf))


def wilson_upper(positives: int, n: int, z: float = Z95) -> float:
    if n == 0:
        return 1.0
    p = positives / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return min(1.0, (centre + margin) / (1 + z * z / n))


def stratified_folds(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number for each sample, each label spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    assignment = np.empty(len(labels), dtype=int)
    for value in (0, 1):
        where = np.flatnonzero(labels == value)
        rng.shuffle(where)
        assignment[where] = np.arange(len(where)) % folds
    return assignment


class TooFewImages(ValueError):
    pass


def cross_validate(
    embeddings: np.ndarray,
    labels: np.ndarray,
    *,
    target_fpr: float,
    folds: int = 5,
    seed: int = 14,
) -> CrossValidation:
    labels = np.asarray(labels, dtype=int)
    n_ai, n_real = int(labels.sum()), int(len(labels) - labels.sum())
    if min(n_ai, n_real) < 2:
        raise TooFewImages(
            f"training needs at least 2 images of each label (got {n_ai} ai, {n_real} real)"
        )
    folds = max(2, min(folds, n_ai, n_real))
    fold_of = stratified_folds(labels, folds, seed)
    out_of_fold = np.empty(len(labels))
    for fold in range(folds):
        held = fold_of == fold
        head = fit(embeddings[~held], labels[~held])
        out_of_fold[held] = head.scores(embeddings[held])
    real_scores, ai_scores = out_of_fold[labels == 0], out_of_fold[labels == 1]
    threshold = threshold_for(real_scores, target_fpr)
    false_positives = int((real_scores >= threshold).sum())
    upper = wilson_upper(false_positives, n_real)
    warnings = []
    if min(n_ai, n_real) < MIN_PER_LABEL:
        warnings.append(
            f"too few images to trust: {n_ai} generated and {n_real} real; at least "
            f"{MIN_PER_LABEL} of each are needed before the figures mean much"
        )
    if upper > 2 * target_fpr:
        needed = math.ceil(Z95 * Z95 * (1 - 2 * target_fpr) / (2 * target_fpr))
        warnings.append(
            f"the false-positive rate is measured on {n_real} real images: it could be as "
            f"high as {upper:.1%} (95 % bound), over twice the {target_fpr:.1%} asked for; "
            f"about {needed} real images, none of them flagged, are needed to show "
            f"{target_fpr:.1%}"
        )
    return CrossValidation(
        folds=folds,
        ai=n_ai,
        real=n_real,
        auc=roc_auc(out_of_fold, labels),
        threshold=threshold,
        target_fpr=target_fpr,
        fpr=false_positives / n_real,
        fpr_upper_95=upper,
        recall=float((ai_scores >= threshold).mean()),
        warnings=tuple(warnings),
    )
