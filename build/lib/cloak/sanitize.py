"""Turning an artist's upload into clean pixels and those pixels into a file: orientation
applied, EXIF/GPS and other metadata dropped (the ICC profile kept, so colours stay true), the
rights statement written in, size and blurhash measured."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps
from PIL.PngImagePlugin import PngInfo

from cloak.blurhash_code import compute_blurhash
from cloak.imaging import FORMATS, open_image


@dataclass(frozen=True)
class PublishedImage:
    data: bytes
    media_type: str
    extension: str
    width: int
    height: int
    blurhash: str | None  # None for a thumbnail: its image's blurhash is the one shown
    sha256: str


def sanitize_upload(
    data: bytes, *, max_pixels: int, jpeg_quality: int = 92, xmp: str | None = None
) -> PublishedImage:
    """Re-encode `data` without its metadata, writing `xmp` (the rights statement) instead.
    Raises BadImage for anything not an image."""
    image, save_format = clean_pixels(data, max_pixels)
    return encode_image(image, save_format, quality=jpeg_quality, xmp=xmp)


def clean_pixels(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    """The upload upright, with nothing in its info but the ICC profile and transparency,
    and the format to write it back in (GIF becomes PNG: we keep its first frame only)."""
    return upright_pixels(open_image(data, max_pixels))


def upright_pixels(image: Image.Image) -> tuple[Image.Image, str]:
    """clean_pixels of an image already opened (and checked) by open_image."""
    source_format = image.format or ""
    if source_format == "GIF":
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    save_format = source_format if source_format in ("JPEG", "PNG", "WEBP") else "PNG"
    keep = ("icc_profile", "transparency")
    clean = image.copy()
    clean.info = {k: v for k, v in image.info.items() if k in keep}
    return clean, save_format


def xmp_packet(image: Image.Image) -> str | None:
    """The XMP packet an opened image carries (JPEG APP1, PNG iTXt, WebP chunk), if any is
    readable text: a sender's rights statement is kept on the renditions we make of it."""
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if isinstance(packet, bytes):
        try:
            packet = packet.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return packet if isinstance(packet, str) and packet.strip() else None


def encode_image(
    image: Image.Image,
    save_format: str,
    *,
    quality: int,
    xmp: str | None = None,
    with_blurhash: bool = True,
) -> PublishedImage:
    """Write `image` as `save_format`; only pixels, the ICC profile, transparency and `xmp`
    go into the file. `with_blurhash=False` spares a thumbnail the blurhash nobody reads (a
    fifth of its cost)."""
    params: dict[str, object] = {}
    icc_profile = image.info.get("icc_profile")
    if icc_profile:
        params["icc_profile"] = icc_profile
    if save_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            # A CMYK profile would be wrong on converted RGB pixels: drop it with the mode.
            params.pop("icc_profile", None)
            image = image.convert("RGB")
        params.update(quality=quality, optimize=True, subsampling=0)
    elif save_format == "WEBP":
        params.update(quality=quality, method=4)
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    if "transparency" in image.info:
        params["transparency"] = image.info["transparency"]
    if save_format in ("JPEG", "WEBP"):
        params["exif"] = b""
        if xmp:
            params["xmp"] = xmp.encode("utf-8")
    elif xmp:
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp, zip=False)
        params["pnginfo"] = info
    out = io.BytesIO()
    bare = image.copy()
    bare.info = {}
    bare.save(out, format=save_format, **params)
    encoded = out.getvalue()
    media_type, extension = FORMATS[save_format]
    return PublishedImage(
        data=encoded,
        media_type=media_type,
        extension=extension,
        width=image.width,
        height=image.height,
        blurhash=compute_blurhash(image) if with_blurhash else None,
        sha256=hashlib.sha256(encoded).hexdigest(),
    )
