"""The published rendition of an artwork: the clean original scaled to the published size,
and the split of its pixels into what the cloak changes (RGB) and what it leaves (alpha)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from cloak.imaging import open_image
from cloak.sanitize import (
    PublishedImage,
    clean_pixels,
    encode_image,
    upright_pixels,
    xmp_packet,
)


@dataclass(frozen=True)
class PreparedImage:
    original: PublishedImage  # private to the artist: full size, no rights XMP
    published: PublishedImage | None  # None while the cloak is still to make it
    width: int  # of the published rendition
    height: int
    thumbnail: PublishedImage | None = None  # made with `published`, from its pixels


# Grids show thumbnails at most this many pixels on their longer side (twice the CSS size
# of a grid cell, for high-density screens).
THUMBNAIL_SIDE = 640


def prepare_image(
    data: bytes,
    *,
    max_pixels: int,
    max_published_pixels: int,
    quality: int,
    xmp: str | None,
    publish: bool,
) -> PreparedImage:
    """The artist's original, kept private, and, unless a cloak job will make it, the
    rendition we publish. Raises BadImage for anything not an image."""
    clean, save_format = clean_pixels(data, max_pixels)
    original = encode_image(clean, save_format, quality=quality)
    width, height = fitted_size(clean.width, clean.height, max_published_pixels)
    published = thumb = None
    if publish:
        fitted = fit_pixels(clean, max_published_pixels)
        published = encode_image(fitted, save_format, quality=quality, xmp=xmp)
        thumb = thumbnail_from_pixels(fitted, save_format, quality=quality, xmp=xmp)
    return PreparedImage(original, published, width, height, thumb)


def thumbnail_from_pixels(
    image: Image.Image, save_format: str, *, quality: int, xmp: str | None
) -> PublishedImage:
    """The grid rendition of a published image: its pixels (cloaked, when they are) scaled
    to fit THUMBNAIL_SIDE, never up, with the same rights statement."""
    width, height = image.size
    scale = min(1.0, THUMBNAIL_SIDE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size != image.size:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        info = dict(image.info)
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        image.info = info
    return encode_image(image, save_format, quality=quality, xmp=xmp, with_blurhash=False)


def thumbnail_of(published: PublishedImage, *, quality: int, xmp: str | None) -> PublishedImage:
    """The thumbnail of an image already encoded (the cloak worker's output)."""
    with Image.open(io.BytesIO(published.data)) as image:
        image.load()
        save_format = image.format or "PNG"
        pixels = image.copy()
    pixels.info = {k: v for k, v in image.info.items() if k in ("icc_profile", "transparency")}
    return thumbnail_from_pixels(pixels, save_format, quality=quality, xmp=xmp)


def fits_thumbnail(width: int, height: int) -> bool:
    """An image this size is its own thumbnail: thumbnail_from_pixels would not scale it (for
    a published image it then writes the same bytes, so the same content-addressed file)."""
    return max(width, height) <= THUMBNAIL_SIDE


def thumbnail_of_received(data: bytes, *, max_pixels: int, quality: int) -> PublishedImage:
    """The grid rendition of an image another server sent, as Mastodon makes the `small`
    version of remote media: upright, its metadata dropped except the ICC profile and the
    sender's rights statement (XMP), which stays with every copy we serve. Raises BadImage."""
    image = open_image(data, max_pixels)
    pixels, save_format = upright_pixels(image)
    return thumbnail_from_pixels(pixels, save_format, quality=quality, xmp=xmp_packet(image))


def fitted_size(width: int, height: int, max_pixels: int) -> tuple[int, int]:
    if width * height <= max_pixels:
        return width, height
    scale = math.sqrt(max_pixels / (width * height))
    w, h = math.floor(width * scale), math.floor(height * scale)
    if h < 1:  # a sliver: keep one row, as wide as the budget allows
        return min(width, max_pixels), 1
    if w < 1:
        return 1, min(height, max_pixels)
    return w, h


def fit_pixels(image: Image.Image, max_pixels: int) -> Image.Image:
    """Scale down (never up) to at most `max_pixels`, keeping the aspect ratio and the info."""
    size = fitted_size(image.width, image.height, max_pixels)
    if size == image.size:
        return image
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    fitted = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    fitted.info = dict(image.info)
    return fitted


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def split_alpha(image: Image.Image) -> tuple[NDArray[np.uint8], Image.Image | None]:
    """RGB pixels for the cloak, and the alpha channel (if any) to put back unchanged."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        return np.asarray(rgba.convert("RGB")), rgba.getchannel("A")
    return np.asarray(image.convert("RGB")), None


def join_alpha(rgb: NDArray[np.uint8], alpha: Image.Image | None) -> Image.Image:
    out = Image.fromarray(rgb, "RGB")
    if alpha is not None:
        out.putalpha(alpha)
    return out
