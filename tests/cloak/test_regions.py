"""The flattest region: where the artist's preview and the bench's crops look."""

from __future__ import annotations

import numpy as np

from cloak.regions import flattest_region
from tests.inbox.screening import images as img


def test_the_flat_patch_of_a_textured_image_is_found():
    image = np.asarray(img.photo("chelsea").resize((512, 512))).copy()
    image[256:448, 64:256] = (200, 180, 150)  # a flat 192-pixel patch
    left, top, side = flattest_region(image, 128)
    assert side == 128
    assert 64 <= left and left + side <= 256 and 256 <= top and top + side <= 448


def test_a_near_black_area_is_passed_over_for_a_visible_flat_one():
    rows = np.linspace(100, 140, 256)[:, None, None]  # a smooth grey gradient
    image = np.repeat(np.repeat(rows, 256, axis=1), 3, axis=2).astype(np.uint8)
    image[:, 128:] = 0  # flat black on the right: flatter, but nothing shows there
    left, _, side = flattest_region(image, 64)
    assert left + side <= 128
    black = np.zeros((100, 80, 3), np.uint8)
    assert flattest_region(black, 128) == (0, 0, 80)  # all black, and smaller than the side
