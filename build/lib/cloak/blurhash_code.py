"""Blurhash of an image, computed once at upload from a small thumbnail (the encoder is pure
Python; at 64 px it takes milliseconds, at full size it would take seconds)."""

from __future__ import annotations

import blurhash
import numpy as np
from PIL import Image

THUMBNAIL_EDGE = 64


def compute_blurhash(image: Image.Image, x_components: int = 4, y_components: int = 3) -> str:
    small = image.convert("RGB")
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    return blurhash.encode(np.asarray(small), components_x=x_components, components_y=y_components)
