"""Reading image bytes safely: the type comes from the content, never the name, and Pillow's
decompression-bomb guard is kept on with our own pixel limit."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Formats we accept, by Pillow's detected format: media type and file extension.
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}


class BadImage(ValueError):
    """Bytes that are not an image we accept; the message is for the person who sent them."""


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    extension: str
    width: int
    height: int


def open_image(data: bytes | Path, max_pixels: int) -> Image.Image:
    """Open and fully decode-check `data` (bytes, or a file, read only as far as the image
    goes); raises BadImage with a reason a person understands."""
    if not (data if isinstance(data, bytes) else data.stat().st_size):
        raise BadImage("the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data) if isinstance(data, bytes) else data)
            if image.format not in FORMATS:
                raise BadImage(
                    f"{image.format or 'this'} files are not accepted; use JPEG, PNG, WebP or GIF"
                )
            width, height = image.size
            if width * height > max_pixels:
                raise BadImage(f"the image is {width}×{height}, over the {max_pixels} pixel limit")
            image.load()
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage("the image is too large to decode safely") from None
    except UnidentifiedImageError:
        raise BadImage("the file is not a readable image (JPEG, PNG, WebP or GIF)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage(f"the file is not a readable image: it is damaged ({exc})") from None
    return image


def inspect_image(data: bytes | Path, max_pixels: int) -> ImageInfo:
    with open_image(data, max_pixels) as image:  # closed: a file is not left open
        media_type, extension = FORMATS[image.format or ""]
        return ImageInfo(media_type, extension, image.width, image.height)
