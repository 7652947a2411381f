"""Turning an artist's upload into the file we publish: orientation applied, EXIF/GPS and other
metadata dropped (the ICC profile kept, so colours stay true), size and blurhash measured."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import ImageOps
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
    blurhash: str
    sha256: str


def sanitize_upload(
    data: bytes, *, max_pixels: int, jpeg_quality: int = 92, xmp: str | None = None
) -> PublishedImage:
    """Re-encode `data` without its metadata, writing `xmp` (the rights statement) instead.
    Raises BadImage for anything not an image."""
    image = open_image(data, max_pixels)
    source_format = image.format or ""
    icc_profile = image.info.get("icc_profile")
    if source_format == "GIF":
        # Animated GIFs are not art uploads we re-encode frame by frame; keep the first frame.
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    out = io.BytesIO()
    save_format = source_format if source_format in ("JPEG", "PNG", "WEBP") else "PNG"
    params: dict[str, object] = {}
    if icc_profile:
        params["icc_profile"] = icc_profile
    if save_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            # A CMYK profile would be wrong on converted RGB pixels: drop it with the mode.
            params.pop("icc_profile", None)
            image = image.convert("RGB")
        params.update(quality=jpeg_quality, optimize=True, subsampling=0)
    elif save_format == "WEBP":
        params.update(quality=jpeg_quality, method=4)
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    # Cleared info means no EXIF, XMP or text chunks are written: only pixels, the ICC profile
    # and transparency (palette and colour-key images keep it in info).
    clean = image.copy()
    clean.info = {k: v for k, v in image.info.items() if k == "transparency"}
    if save_format in ("JPEG", "WEBP"):
        params["exif"] = b""
        if xmp:
            params["xmp"] = xmp.encode("utf-8")
    elif xmp:
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp, zip=False)
        params["pnginfo"] = info
    clean.save(out, format=save_format, **params)
    encoded = out.getvalue()
    media_type, extension = FORMATS[save_format]
    return PublishedImage(
        data=encoded,
        media_type=media_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
        blurhash=compute_blurhash(clean),
        sha256=hashlib.sha256(encoded).hexdigest(),
    )
