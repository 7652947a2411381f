"""Measuring a cloak honestly: on the int8 model the instance actually runs (one image per
call: its outputs depend on the batch), how far the embedding moved toward the target, and how
much of that gain survives what platforms and scrapers do (JPEG q75, a 0.5× resize, an
8-pixel shift, an 87.5 % crop); and how visible the change is (cloak/visibility.py)."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from cloak.metrics import cosine, linf, psnr, ssim
from cloak.visibility import measure_visibility

Embed = Callable[[Image.Image], NDArray[np.floating]]


def _jpeg75(image: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _half(image: Image.Image) -> Image.Image:
    return image.resize(
        (max(1, image.width // 2), max(1, image.height // 2)), Image.Resampling.BICUBIC
    )


def _shift8(image: Image.Image) -> Image.Image:
    """Translate by 8 px right and down, filling the uncovered edge with the border pixels."""
    pixels = np.asarray(image)
    shifted = np.pad(pixels, ((8, 0), (8, 0), (0, 0)), mode="edge")[
        : pixels.shape[0], : pixels.shape[1]
    ]
    return Image.fromarray(shifted)


def _crop875(image: Image.Image) -> Image.Image:
    w, h = image.size
    cw, ch = round(w * 0.875), round(h * 0.875)
    left, top = (w - cw) // 2, (h - ch) // 2
    return image.crop((left, top, left + cw, top + ch))


AFTER = {"jpeg_q75": _jpeg75, "resize_0.5": _half, "shift_8px": _shift8, "crop_87.5": _crop875}


def measure(
    clean: NDArray[np.uint8], cloaked: NDArray[np.uint8], target: NDArray[np.uint8], embed: Embed
) -> dict[str, float]:
    clean_img, cloaked_img = Image.fromarray(clean), Image.fromarray(cloaked)
    t = embed(Image.fromarray(target))
    e_clean, e_cloaked = embed(clean_img), embed(cloaked_img)
    gain = cosine(e_cloaked, t) - cosine(e_clean, t)
    report = {
        "psnr_db": psnr(clean / 255.0, cloaked / 255.0),
        "ssim": ssim(clean / 255.0, cloaked / 255.0),
        "linf": linf(clean / 255.0, cloaked / 255.0),
        "cosine_clean_cloaked": cosine(e_clean, e_cloaked),
        "gain_toward_target": gain,
    }
    for name, transform in AFTER.items():
        kept = cosine(embed(transform(cloaked_img)), t) - cosine(embed(transform(clean_img)), t)
        report[f"kept_after_{name}"] = kept / gain if gain > 0 else 0.0
        report[f"gain_after_{name}"] = kept
    return report | measure_visibility(clean, cloaked)
