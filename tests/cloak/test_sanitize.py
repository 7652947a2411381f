from __future__ import annotations

import hashlib
import io

import blurhash
import pytest
from PIL import Image, ImageCms, PngImagePlugin
from PIL.ExifTags import GPS, IFD, Base

from cloak.imaging import BadImage
from cloak.sanitize import sanitize_upload
from tests.cloak.images import artwork, blank_bilevel_png, encode

MAX_PIXELS = 50_000_000
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Orientation] = 6  # rotate 90° clockwise to display
    exif[Base.Make] = "CameraMakerX"
    exif[Base.Model] = "ModelY-2000"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    return exif


def split_image(width: int = 80, height: int = 40) -> Image.Image:
    """Left half red, right half blue, so the applied orientation can be seen in the pixels."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# --- JPEG with camera metadata -----------------------------------------------------------------


@pytest.fixture(scope="module")
def camera_jpeg() -> bytes:
    data = encode(split_image(), "JPEG", exif=camera_exif(), quality=95)
    # The input really carries what we expect the output to lose.
    source = reopen(data)
    assert source.getexif()[Base.Orientation] == 6
    assert source.getexif().get_ifd(IFD.GPSInfo)[GPS.GPSLatitudeRef] == "N"
    assert b"CameraMakerX" in data
    return data


def test_jpeg_exif_and_gps_are_dropped(camera_jpeg: bytes) -> None:
    out = sanitize_upload(camera_jpeg, max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert dict(published.getexif()) == {}
    assert dict(published.getexif().get_ifd(IFD.GPSInfo)) == {}
    assert "exif" not in published.info
    assert b"Exif\x00\x00" not in out.data
    assert b"CameraMakerX" not in out.data
    assert b"ModelY-2000" not in out.data


def test_jpeg_orientation_is_applied(camera_jpeg: bytes) -> None:
    out = sanitize_upload(camera_jpeg, max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert (out.width, out.height) == (40, 80)
    assert published.size == (40, 80)
    # Orientation 6: the stored left edge is the displayed top.
    assert close_to(published.getpixel((20, 10)), RED)
    assert close_to(published.getpixel((20, 70)), BLUE)


def test_jpeg_output_description(camera_jpeg: bytes) -> None:
    out = sanitize_upload(camera_jpeg, max_pixels=MAX_PIXELS)
    assert reopen(out.data).format == "JPEG"
    assert (out.media_type, out.extension) == ("image/jpeg", "jpg")
    assert out.sha256 == hashlib.sha256(out.data).hexdigest()


def test_blurhash_is_4x3_and_decodable(camera_jpeg: bytes) -> None:
    out = sanitize_upload(camera_jpeg, max_pixels=MAX_PIXELS)
    assert len(out.blurhash) == 28
    assert blurhash.components(out.blurhash) == (4, 3)
    pixels = blurhash.decode(out.blurhash, 4, 8)
    assert len(pixels) == 8 and len(pixels[0]) == 4
    # red on top, blue below, as displayed
    top, bottom = pixels[0][2], pixels[-1][2]
    assert top[0] > top[2]
    assert bottom[2] > bottom[0]


def test_jpeg_comment_and_xmp_are_dropped() -> None:
    data = encode(
        artwork(), "JPEG", comment=b"shot-at-home", xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>"
    )
    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    assert b"shot-at-home" not in out.data
    assert b"secret-xmp" not in out.data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_in_png_and_webp_is_applied_and_dropped(fmt: str) -> None:
    data = encode(split_image(), fmt, exif=camera_exif(), lossless=True)
    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert published.format == fmt
    assert published.size == (40, 80)
    assert dict(published.getexif()) == {}
    assert b"CameraMakerX" not in out.data


# --- PNG ---------------------------------------------------------------------------------------


def test_png_text_chunks_are_dropped_and_png_stays_png() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "made-at-51.5N")
    info.add_itxt("Description", "private-description")
    data = encode(artwork(), "PNG", pnginfo=info)
    assert reopen(data).text["Comment"] == "made-at-51.5N"

    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert published.format == "PNG"
    assert (out.media_type, out.extension) == ("image/png", "png")
    assert published.text == {}
    assert b"made-at-51.5N" not in out.data
    assert b"private-description" not in out.data
    assert b"tEXt" not in out.data and b"iTXt" not in out.data
    assert published.size == (64, 48)


def test_png_pixels_are_kept_exactly() -> None:
    source = artwork()
    out = sanitize_upload(encode(source, "PNG"), max_pixels=MAX_PIXELS)
    assert reopen(out.data).convert("RGB").tobytes() == source.tobytes()


def test_png_alpha_is_kept() -> None:
    source = artwork().convert("RGBA")
    source.putpixel((0, 0), (10, 20, 30, 0))
    out = sanitize_upload(encode(source, "PNG"), max_pixels=MAX_PIXELS)
    assert reopen(out.data).getpixel((0, 0)) == (10, 20, 30, 0)


def test_palette_png_transparency_is_kept() -> None:
    # Pillow keeps a palette or colour-key PNG's (and a GIF's) tRNS in info["transparency"]:
    # clearing metadata must not publish the image opaque.
    source = Image.new("P", (20, 10), 0)
    source.putpalette([0, 0, 0, 200, 30, 30] + [0] * (254 * 3))
    source.paste(1, (10, 0, 20, 10))
    data = encode(source, "PNG", transparency=0)
    assert reopen(data).convert("RGBA").getpixel((0, 0))[3] == 0

    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    published = reopen(out.data).convert("RGBA")
    assert published.getpixel((0, 0))[3] == 0
    assert published.getpixel((15, 5)) == (200, 30, 30, 255)


def test_png_under_jpg_name_is_published_as_png() -> None:
    data = encode(artwork(), "PNG")
    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    assert out.media_type == "image/png"
    assert out.data.startswith(b"\x89PNG\r\n\x1a\n")


# --- ICC profile -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_icc_profile_is_kept(fmt: str) -> None:
    profile = srgb_profile()
    data = encode(artwork(), fmt, icc_profile=profile)
    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    assert reopen(out.data).info.get("icc_profile") == profile


def test_no_icc_profile_is_invented() -> None:
    out = sanitize_upload(encode(artwork(), "JPEG"), max_pixels=MAX_PIXELS)
    assert "icc_profile" not in reopen(out.data).info


# --- other formats and modes -------------------------------------------------------------------


def test_gif_is_published_as_png_of_its_first_frame() -> None:
    frames = [Image.new("RGB", (16, 16), RED), Image.new("RGB", (16, 16), BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert getattr(reopen(data), "n_frames", 1) == 2

    out = sanitize_upload(data, max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert published.format == "PNG"
    assert (out.media_type, out.extension) == ("image/png", "png")
    assert close_to(published.convert("RGB").getpixel((8, 8)), RED)


def test_webp_stays_webp() -> None:
    out = sanitize_upload(encode(artwork(), "WEBP"), max_pixels=MAX_PIXELS)
    assert reopen(out.data).format == "WEBP"
    assert (out.media_type, out.extension) == ("image/webp", "webp")


@pytest.mark.parametrize("mode", ["CMYK", "L"])
def test_jpeg_modes_are_published_as_jpeg(mode: str) -> None:
    out = sanitize_upload(encode(artwork(mode=mode), "JPEG"), max_pixels=MAX_PIXELS)
    published = reopen(out.data)
    assert published.format == "JPEG"
    assert published.mode in ("RGB", "L")


# --- refusals ----------------------------------------------------------------------------------


def test_text_file_is_refused() -> None:
    with pytest.raises(BadImage, match="not a readable image"):
        sanitize_upload(b"hello, this is not a picture\n", max_pixels=MAX_PIXELS)


def test_empty_file_is_refused() -> None:
    with pytest.raises(BadImage, match="empty"):
        sanitize_upload(b"", max_pixels=MAX_PIXELS)


def test_truncated_jpeg_is_refused() -> None:
    data = encode(artwork(200, 150), "JPEG")
    with pytest.raises(BadImage):
        sanitize_upload(data[: len(data) * 2 // 3], max_pixels=MAX_PIXELS)


def test_image_over_max_pixels_is_refused() -> None:
    with pytest.raises(BadImage, match="pixel limit"):
        sanitize_upload(encode(artwork(64, 48), "JPEG"), max_pixels=64 * 48 - 1)


def test_decompression_bomb_is_refused() -> None:
    with pytest.raises(BadImage, match="too large"):
        sanitize_upload(blank_bilevel_png(30_000, 30_000), max_pixels=10**12)


def test_svg_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(BadImage):
        sanitize_upload(svg, max_pixels=MAX_PIXELS)
