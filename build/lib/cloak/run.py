"""Cloaking one artwork end to end: its decoy target, the crop-EOT attack with the float
encoder, and the honest measurement on the int8 model. Shared by the CLI and the bench."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from cloak.attack import DEFAULT_EPS, Encoder, choose_target, cloak_full_resolution
from cloak.measure import measure


def cloak_and_measure(
    image: NDArray[np.uint8],
    encoder: Encoder,
    int8_embed: Callable[[Image.Image], NDArray[np.floating]],
    *,
    eps: float = DEFAULT_EPS,
    steps: int = 60,
    seed: int = 0,
) -> tuple[NDArray[np.uint8], dict[str, Any]]:
    started = time.perf_counter()
    decoy, target = choose_target(image, encoder, seed=seed)
    result = cloak_full_resolution(image, encoder, target, eps=eps, steps=steps, seed=seed)
    seconds = time.perf_counter() - started
    report = measure(image, result.image, decoy, int8_embed)
    report.update(
        eps=eps,
        steps=steps,
        seconds=round(seconds, 1),
        float_model_gain=result.gain,
        width=image.shape[1],
        height=image.shape[0],
    )
    return result.image, report
