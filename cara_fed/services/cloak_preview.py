"""The images of the artist's cloak preview: the published rendition beside the private
original, and both enlarged where a cloak is easiest to see.

The enlargement is made here, not by the browser: a crop of the flattest square (from the
cloak's report, else found again), scaled ZOOM times with nearest-neighbour sampling so each
pixel shows as a block and no smoothing hides the perturbation. The original is first fitted
to the published size, as the cloak fitted it, so both crops show the same pixels."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from cloak.regions import flattest_region
from cloak.rendition import fit_pixels
from cloak.sanitize import clean_pixels

ZOOM = 3
KINDS = ("original", "published")


def flat_region(report: dict | None, rendition: Image.Image) -> tuple[int, int, int]:
    """(left, top, side) of the square to enlarge, inside the rendition."""
    region = (report or {}).get("flat_region")
    if isinstance(region, list) and len(region) == 3 and all(isinstance(v, int) for v in region):
        left, top, side = region
        if 0 <= left and 0 <= top and 0 < side and left + side <= rendition.width:
            if top + side <= rendition.height:
                return left, top, side
    return flattest_region(np.asarray(rendition.convert("RGB")))


def zoomed_crop(
    which: str,
    original: bytes,
    published: bytes,
    report: dict | None,
    max_pixels: int,
    max_published: int,
) -> bytes:
    """A PNG of the flattest square of the published image, or (`which` = "original") of
    the same square of the original fitted to it, enlarged. The page asks for each of the
    two separately, so only the one asked for is made (the original's decode is the cost)."""
    with Image.open(io.BytesIO(published)) as image:
        image.load()
        rendition = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    source = rendition
    if which == "original":
        clean, _ = clean_pixels(original, max_pixels)
        source = fit_pixels(clean, max_published)
        if source.size != rendition.size:  # an older rendition: compare at its size
            source = source.resize(rendition.size, Image.Resampling.LANCZOS)
        source = source.convert(rendition.mode)
    left, top, side = flat_region(report, rendition)
    square = source.crop((left, top, left + side, top + side))
    big = square.resize((side * ZOOM, side * ZOOM), Image.Resampling.NEAREST)
    out = io.BytesIO()
    big.save(out, "PNG")
    return out.getvalue()
