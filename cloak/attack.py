"""The cloak: sign-PGD that moves the image's CLIP embedding toward a style target, within an
L∞ budget, optimised over random transformations so the shift survives re-encoding.

The encoder is anything with `cosine_and_grad(x, target) -> (cosine, d cosine / d x)` on
H×W×3 images in [0, 1] (the numpy CLIP ViT-B/16 in production, a tiny one in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter, ImageOps

from cloak.budget import perceptual_budget, remove_structure, smoothness
from cloak.resize import resize, resize_adjoint
from cloak.strength import STRENGTHS
from cloak.transforms import Array, random_transform, to_uint8

DEFAULT_EPS = STRENGTHS["default"].eps


class Encoder(Protocol):
    def embed(self, x: Array) -> NDArray[np.float32]: ...

    def cosine_and_grad(self, x: Array, target: NDArray[np.float32]) -> tuple[float, Array]: ...


@dataclass(frozen=True)
class CloakResult:
    image: NDArray[np.uint8]
    start_cosine: float
    end_cosine: float
    steps: int

    @property
    def gain(self) -> float:
        return self.end_cosine - self.start_cosine


def style_target(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """A decoy style made from the artwork itself: its contours, posterised and blurred, so
    the embedding is pulled toward something that is neither the artist's style nor random."""
    decoy = Image.fromarray(image).filter(ImageFilter.CONTOUR)
    decoy = ImageOps.posterize(decoy, 2).filter(ImageFilter.GaussianBlur(2))
    return np.asarray(decoy.convert("RGB"))


def grain_target(image: NDArray[np.uint8], seed: int = 0) -> NDArray[np.uint8]:
    """A second decoy, for artworks whose contour decoy is too close to them (flat
    illustrations, whose contours are most of what they are): the artwork at half contrast
    under coarse colour grain (128 cells across the shorter side, σ = 64 levels)."""
    h, w = image.shape[:2]
    block = max(1, min(h, w) // 128)
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 1.0, (h // block + 1, w // block + 1, 3)).astype(np.float32)
    noise = np.repeat(np.repeat(noise, block, axis=0), block, axis=1)[:h, :w]
    return np.clip(image.astype(np.float32) * 0.5 + 64.0 * noise + 64.0, 0, 255).astype(np.uint8)


def choose_target(
    image: NDArray[np.uint8], encoder: Encoder, *, size: int = 224, seed: int = 0
) -> tuple[NDArray[np.uint8], NDArray[np.float32]]:
    """The decoy (and its unit embedding) that starts farthest from the artwork on the
    encoder, of the contour decoy and the grain decoy: the more room, the larger the gain."""

    def embed(img: NDArray[np.uint8]) -> NDArray[np.float32]:
        return unit(encoder.embed(resize(img / 255.0, size, size)))

    own = embed(image)
    options = [(d, embed(d)) for d in (style_target(image), grain_target(image, seed))]
    return min(options, key=lambda option: float(option[1] @ own))


def unit(v: NDArray[np.floating]) -> NDArray[np.float32]:
    v = np.asarray(v, np.float32).ravel()
    return v / max(float(np.linalg.norm(v)), 1e-12)


def cloak(
    image: NDArray[np.uint8],
    encoder: Encoder,
    target: NDArray[np.float32],
    *,
    eps: float = DEFAULT_EPS,
    steps: int = 60,
    seed: int = 0,
) -> CloakResult:
    """Cloak a square image at the encoder's own size (no cropping): the special case of
    cloak_full_resolution whose crop is always the whole image."""
    side = image.shape[0]
    if image.shape[1] != side:
        raise ValueError("cloak() takes a square image; use cloak_full_resolution")
    return cloak_full_resolution(
        image, encoder, target, eps=eps, steps=steps, seed=seed, min_crop=1.0, size=side
    )


def cloak_full_resolution(
    image: NDArray[np.uint8],
    encoder: Encoder,
    target: NDArray[np.float32],
    *,
    eps: float = DEFAULT_EPS,
    steps: int = 60,
    step_size: float | None = None,
    min_crop: float = 0.75,
    seed: int = 0,
    size: int = 224,
    mask: bool = True,
) -> CloakResult:
    """Crop-EOT: every step takes a random crop (at least `min_crop` of the shorter side),
    resizes it to the encoder's size, applies a random platform transformation, and carries
    the gradient back through both (exact adjoints) onto the full-resolution perturbation.
    A perturbation made at 224 and upsampled does not survive crops; this one is made for
    them. With `mask`, each pixel's budget is cloak.budget's perceptual budget (never above
    eps, nothing on flat colour) and every step takes the low-frequency structure out of the
    perturbation where the image is smooth."""
    rng = np.random.default_rng(seed)
    x = image.astype(np.float32) / 255.0
    h, w = x.shape[:2]
    alpha = step_size if step_size is not None else max(eps / 8, 0.5 / 255)
    delta = np.zeros_like(x)
    target = unit(target)
    if mask:
        budget, smooth = perceptual_budget(x, eps), smoothness(x)
    else:
        budget, smooth = np.full((*x.shape[:2], 1), eps, np.float32), None

    def view(img: Array, crop: tuple[int, int, int]) -> Array:
        top, left, side = crop
        return resize(img[top : top + side, left : left + side], size, size)

    def project(d: Array) -> Array:
        d = np.clip(d, -budget, budget)
        return np.clip(x + d, 0.0, 1.0) - x

    centre_side = min(h, w)
    centre = ((h - centre_side) // 2, (w - centre_side) // 2, centre_side)
    start, _ = encoder.cosine_and_grad(view(x, centre), target)
    for _ in range(steps):
        side = int(rng.integers(int(min_crop * min(h, w)), min(h, w) + 1))
        crop = (int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1)), side)
        transform = random_transform(rng)
        current = np.clip(x + delta, 0.0, 1.0)
        _, grad = encoder.cosine_and_grad(transform.apply(view(current, crop)), target)
        grad = resize_adjoint(transform.adjoint(grad), side, side)
        full = np.zeros_like(x)
        top, left, _ = crop
        full[top : top + side, left : left + side] = grad
        delta = delta + alpha * np.sign(full)
        if smooth is not None:
            delta = remove_structure(delta, smooth)
        delta = project(delta)
    cloaked = _quantise(image, x + delta, budget)
    end, _ = encoder.cosine_and_grad(view(cloaked.astype(np.float32) / 255.0, centre), target)
    return CloakResult(cloaked, float(start), float(end), steps)


def _quantise(image: NDArray[np.uint8], x: Array, budget: Array) -> NDArray[np.uint8]:
    """To uint8, and never further from the original than each pixel's budget rounded to
    whole levels (a budget under half a level leaves the pixel as it was)."""
    levels = np.floor(np.asarray(budget) * 255 + 0.5 + 1e-6).astype(np.int16)
    base = image.astype(np.int16)
    out = np.clip(to_uint8(x).astype(np.int16), base - levels, base + levels)
    return np.clip(out, 0, 255).astype(np.uint8)
