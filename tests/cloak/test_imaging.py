from __future__ import annotations

from pathlib import Path

import pytest

from cloak.imaging import BadImage, ImageInfo, inspect_image, open_image
from tests.cloak.images import artwork, blank_bilevel_png, encode

MAX_PIXELS = 50_000_000


@pytest.mark.parametrize(
    ("fmt", "media_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("GIF", "image/gif", "gif"),
    ],
)
def test_inspect_image_by_format(fmt: str, media_type: str, extension: str) -> None:
    data = encode(artwork(70, 30), fmt)
    assert inspect_image(data, MAX_PIXELS) == ImageInfo(media_type, extension, 70, 30)


def test_type_comes_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "painting.jpg"
    path.write_bytes(encode(artwork(), "PNG"))
    info = inspect_image(path.read_bytes(), MAX_PIXELS)
    assert (info.media_type, info.extension) == ("image/png", "png")


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_other_formats_are_refused_by_name(fmt: str) -> None:
    with pytest.raises(BadImage, match=f"{fmt} files are not accepted"):
        inspect_image(encode(artwork(32, 32), fmt), MAX_PIXELS)


def test_text_file_is_bad_image_with_readable_message() -> None:
    with pytest.raises(BadImage) as info:
        inspect_image(b"Dear gallery,\nplease find my portfolio attached.\n", MAX_PIXELS)
    assert "not a readable image" in str(info.value)


def test_empty_file_is_bad_image() -> None:
    with pytest.raises(BadImage, match="empty"):
        inspect_image(b"", MAX_PIXELS)


def test_svg_is_bad_image() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    with pytest.raises(BadImage, match="not a readable image"):
        inspect_image(svg, MAX_PIXELS)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_bad_image(fmt: str) -> None:
    data = encode(artwork(200, 150), fmt)
    with pytest.raises(BadImage, match="not a readable image"):
        inspect_image(data[: len(data) // 2], MAX_PIXELS)


def test_image_over_max_pixels_is_bad_image() -> None:
    data = encode(artwork(100, 100), "PNG")
    with pytest.raises(BadImage, match="100×100, over the 9999 pixel limit"):
        inspect_image(data, max_pixels=9_999)
    assert inspect_image(data, max_pixels=10_000).width == 100


def test_decompression_bomb_is_bad_image() -> None:
    bomb = blank_bilevel_png(30_000, 30_000)
    assert len(bomb) < 200_000  # 900 megapixels in a small file
    with pytest.raises(BadImage, match="too large to decode safely"):
        open_image(bomb, max_pixels=10**12)


def test_bomb_in_pillows_warning_band_is_bad_image() -> None:
    """100 Mpx is past Pillow's warning threshold but under its hard error: still refused."""
    bomb = blank_bilevel_png(10_000, 10_000)
    with pytest.raises(BadImage, match="too large to decode safely"):
        open_image(bomb, max_pixels=10**12)


def test_open_image_returns_a_loaded_image() -> None:
    image = open_image(encode(artwork(20, 10), "PNG"), MAX_PIXELS)
    assert image.format == "PNG"
    assert image.getpixel((19, 9)) == (255, 255, (19 * 9) % 256)
