"""Reading the metadata fields screening looks at, once per image: PNG text chunks, EXIF
Software, and the raw XMP packet (JPEG APP1, PNG iTXt, WebP chunk)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

EXIF_SOFTWARE = 0x0131
MAX_FIELD = 1_000_000


@dataclass(frozen=True)
class ImageMetadata:
    text_chunks: dict[str, str]
    exif_software: str
    xmp: str


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def read_metadata(image: Image.Image) -> ImageMetadata:
    chunks = {
        str(k): _text(v)
        for k, v in image.info.items()
        if isinstance(v, str | bytes) and k not in ("icc_profile", "exif", "xmp")
    }
    xmp = _text(image.info.get("xmp")) or chunks.pop("XML:com.adobe.xmp", "")
    try:
        software = _text(image.getexif().get(EXIF_SOFTWARE))
    except Exception:  # damaged EXIF is common and says nothing about generation
        software = ""
    return ImageMetadata(chunks, software, xmp)
