"""Cloaking one artwork end to end: its decoy target, the crop-EOT attack with the float
encoder, and the honest measurement on the int8 model. Shared by the CLI and the bench."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from cloak.attack import Encoder, choose_target, cloak_full_resolution
from cloak.measure import measure
from cloak.regions import flattest_region
from cloak.strength import strength as named_strength


def cloak_and_measure(
    image: NDArray[np.uint8],
    encoder: Encoder,
    int8_embed: Callable[[Image.Image], NDArray[np.floating]],
    *,
    strength: str = "default",
    steps: int = 60,
    seed: int = 0,
) -> tuple[NDArray[np.uint8], dict[str, Any]]:
    eps = named_strength(strength).eps
    started = time.perf_counter()
    decoy, target = choose_target(image, encoder, seed=seed)
    result = cloak_full_resolution(image, encoder, target, eps=eps, steps=steps, seed=seed)
    seconds = time.perf_counter() - started
    report = measure(image, result.image, decoy, int8_embed)
    report.update(
        strength=strength,
        eps=eps,
        steps=steps,
        seconds=round(seconds, 1),
        float_model_gain=result.gain,
        flat_region=list(flattest_region(image)),
        width=image.shape[1],
        height=image.shape[0],
    )
    return result.image, report
