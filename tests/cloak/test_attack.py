"""The cloak's mechanics with a small differentiable encoder written here (a random projection
of pooled pixels through tanh), so the budget and the ascent are checked without the model."""

from __future__ import annotations

import numpy as np
import pytest

from cloak.attack import (
    choose_target,
    cloak,
    cloak_full_resolution,
    grain_target,
    style_target,
    unit,
)
from cloak.budget import perceptual_budget
from cloak.metrics import linf, psnr, ssim
from cloak.resize import resize, resize_adjoint
from cloak.transforms import half_resize, random_transform
from tests.inbox.screening import images as img


class ToyEncoder:
    """e = W · tanh(P · pool4(x)); d cos(e, t) / d x by the chain rule."""

    def __init__(self, size: int, dim: int = 16, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.size = size
        features = (size // 4) ** 2 * 3
        self.P = rng.normal(0, 1 / np.sqrt(features), (64, features)).astype(np.float64)
        self.W = rng.normal(0, 1 / 8, (dim, 64))

    def _pool(self, x):
        s = self.size // 4 * 4
        return x[:s, :s].reshape(s // 4, 4, s // 4, 4, 3).mean(axis=(1, 3)).ravel()

    def embed(self, x):
        return self.W @ np.tanh(self.P @ self._pool(np.asarray(x, np.float64)))

    def cosine_and_grad(self, x, target):
        h = np.tanh(self.P @ self._pool(np.asarray(x, np.float64)))
        e = self.W @ h
        n = np.linalg.norm(e)
        cos = float(e @ target / n)
        de = target / n - cos * e / n**2
        dpooled = self.P.T @ ((self.W.T @ de) * (1 - h**2))
        s = self.size // 4 * 4
        grad = np.zeros_like(np.asarray(x, np.float64))
        g = dpooled.reshape(s // 4, s // 4, 3) / 16
        grad[:s, :s] = np.repeat(np.repeat(g, 4, axis=0), 4, axis=1)
        return cos, grad


def test_toy_gradient_matches_finite_differences():
    enc = ToyEncoder(32)
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (32, 32, 3))
    t = unit(rng.normal(size=16))
    _, grad = enc.cosine_and_grad(x, t)
    d = rng.normal(size=x.shape)
    h = 1e-5
    numeric = (enc.cosine_and_grad(x + h * d, t)[0] - enc.cosine_and_grad(x - h * d, t)[0]) / (
        2 * h
    )
    assert numeric == pytest.approx(float((grad * d).sum()), rel=1e-5)


@pytest.mark.parametrize("eps", [4 / 255, 8 / 255])
def test_the_cloak_stays_within_its_budget_and_moves_toward_the_target(eps):
    image = np.asarray(img.photo("astronaut").resize((64, 64)))
    enc = ToyEncoder(64)
    target = unit(enc.embed(style_target(image) / 255.0))
    result = cloak(image, enc, target, eps=eps, steps=40)
    assert linf(image / 255.0, result.image / 255.0) <= eps + 1e-9
    assert result.gain > 0.02
    assert psnr(image / 255.0, result.image / 255.0) > 30
    assert ssim(image / 255.0, result.image / 255.0) > 0.8


def test_transforms_have_exact_adjoints():
    """<T x, g> = <x, T* g> for the linear ones (JPEG is passed straight through)."""
    rng = np.random.default_rng(2)
    for _ in range(40):
        t = random_transform(rng)
        if "jpeg" in t.name:
            continue
        x, g = rng.normal(size=(16, 16, 3)), rng.normal(size=(16, 16, 3))
        assert float((t.apply(x) * g).sum()) == pytest.approx(float((x * t.adjoint(g)).sum()))
    x = rng.normal(size=(8, 8, 3))
    assert np.allclose(half_resize(half_resize(x)), half_resize(x))  # a projection


def test_crop_eot_cloaks_a_full_resolution_image_within_budget():
    # The uniform budget: the toy encoder's gradient is 4×4 blocks, low-frequency structure
    # that the perceptual budget keeps out of smooth areas (the real encoder's is not).
    image = np.asarray(img.photo("rocket").resize((300, 260)))
    enc = ToyEncoder(224)
    decoy = resize(np.asarray(img.photo("coffee").resize((300, 260))) / 255.0, 224, 224)
    target = unit(enc.embed(decoy))
    result = cloak_full_resolution(image, enc, target, steps=30, mask=False)
    assert result.image.shape == image.shape
    assert linf(image / 255.0, result.image / 255.0) <= 4 / 255 + 1e-9
    assert result.gain > 0.01


def test_the_perceptual_budget_leaves_flat_colour_alone_and_changes_texture():
    image = np.asarray(img.photo("chelsea").resize((256, 256))).copy()
    image[:, :96] = (120, 160, 210)  # a flat sky on the left third
    enc = ToyEncoder(224)
    target = unit(enc.embed(resize(grain_target(image) / 255.0, 224, 224)))
    result = cloak_full_resolution(image, enc, target, steps=20)
    change = np.abs(result.image.astype(int) - image.astype(int))
    budget = np.floor(perceptual_budget(image / 255.0, 4 / 255) * 255 + 0.5)
    assert (change <= budget).all()
    assert change[:, :90].max() == 0  # flat colour, away from its edge: untouched
    assert (change[:, 120:] > 0).mean() > 0.3  # the fur is cloaked
    assert result.gain > 0


def test_resize_has_an_exact_adjoint():
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(300, 260, 3)), rng.normal(size=(224, 224, 3))
    assert float((resize(x, 224, 224) * g).sum()) == pytest.approx(
        float((x * resize_adjoint(g, 300, 260)).sum()), rel=1e-5
    )


def test_choose_target_takes_the_decoy_farthest_from_the_artwork():
    image = np.asarray(img.photo("astronaut").resize((64, 64)))
    enc = ToyEncoder(224)
    decoy, target = choose_target(image, enc)
    own = unit(enc.embed(resize(image / 255.0, 224, 224)))
    for other in (style_target(image), grain_target(image)):
        assert float(target @ own) <= float(unit(enc.embed(resize(other / 255.0, 224, 224))) @ own)
    assert np.array_equal(choose_target(image, enc)[0], decoy)  # deterministic
