"""The published rendition and the private original made from one upload."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageCms
from PIL.ExifTags import GPS, IFD, Base

from cloak.rendition import (
    THUMBNAIL_SIDE,
    fit_pixels,
    fits_thumbnail,
    fitted_size,
    join_alpha,
    prepare_image,
    split_alpha,
    thumbnail_of_received,
)
from cloak.sanitize import encode_image
from cloak.xmp import DMI_PROHIBITED_AIML, rights_xmp
from tests.cloak.images import artwork, encode

XMP = rights_xmp(
    creator="Ana", copyright_notice="© Ana", credit="Ana (@ana@x)", web_statement="https://x/@ana"
)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def xmp_of(image: Image.Image) -> str:
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return xmp.decode() if isinstance(xmp, bytes) else xmp


def test_fitted_size_keeps_the_aspect_ratio_and_never_upscales():
    assert fitted_size(4000, 3000, 12_000_000) == (4000, 3000)
    assert fitted_size(800, 600, 10_000_000) == (800, 600)
    width, height = fitted_size(8000, 6000, 8_294_400)
    assert width * height <= 8_294_400
    assert abs(width / height - 4 / 3) < 0.002
    assert fitted_size(100_000, 1, 1000) == (1000, 1)


def test_fit_pixels_scales_down_and_keeps_the_icc_profile():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = artwork(400, 300)
    image.info["icc_profile"] = srgb
    fitted = fit_pixels(image, 30_000)
    assert fitted.width * fitted.height <= 30_000 and fitted.width == 200
    assert fitted.info["icc_profile"] == srgb
    assert fit_pixels(image, 10**9) is image


def test_alpha_is_split_off_and_put_back_unchanged():
    image = artwork(64, 48).convert("RGBA")
    alpha = np.arange(64 * 48, dtype=np.uint32).reshape(48, 64) % 256
    image.putalpha(Image.fromarray(alpha.astype(np.uint8)))
    rgb, kept = split_alpha(image)
    assert rgb.shape == (48, 64, 3) and kept is not None
    back = join_alpha(rgb, kept)
    assert np.array_equal(np.asarray(back), np.asarray(image))
    rgb, kept = split_alpha(artwork(10, 10))
    assert kept is None and join_alpha(rgb, kept).mode == "RGB"


def test_a_palette_image_with_a_transparent_colour_keeps_it():
    palette = artwork(32, 32).convert("P")
    palette.info["transparency"] = 0
    _, alpha = split_alpha(palette)
    assert alpha is not None and 0 in np.asarray(alpha)


def gps_jpeg(width: int, height: int) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(IFD.GPSInfo)[GPS.GPSLatitudeRef] = "N"
    return encode(artwork(width, height), "JPEG", exif=exif, quality=95)


def prepare(publish: bool):
    return prepare_image(
        gps_jpeg(600, 400),
        max_pixels=10**8,
        max_published_pixels=60_000,
        quality=90,
        xmp=XMP,
        publish=publish,
    )


def test_the_original_is_private_and_bare_and_the_rendition_carries_the_rights():
    prepared = prepare(publish=True)
    original = reopen(prepared.original.data)
    assert original.size == (600, 400)
    assert not original.getexif() and not xmp_of(original)
    published = reopen(prepared.published.data)
    assert published.width * published.height <= 60_000
    assert (prepared.width, prepared.height) == published.size == (300, 200)
    assert DMI_PROHIBITED_AIML in xmp_of(published) and not published.getexif()
    assert prepared.published.blurhash and prepared.published.media_type == "image/jpeg"


def test_without_publishing_only_the_original_and_the_published_size_are_made():
    prepared = prepare(publish=False)
    assert prepared.published is None
    assert (prepared.width, prepared.height) == (300, 200)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_encode_image_writes_the_xmp_in_each_format(fmt):
    out = encode_image(artwork(40, 30), fmt, quality=90, xmp=XMP)
    assert DMI_PROHIBITED_AIML in xmp_of(reopen(out.data))


def test_a_received_image_is_thumbnailed_upright_without_exif_but_with_its_rights():
    """What another server sends: turned by its EXIF orientation, GPS dropped, the sender's
    rights statement (XMP) kept on the copy we serve."""
    exif = Image.Exif()
    exif[Base.Orientation] = 6  # stored sideways: shown 90° clockwise
    exif.get_ifd(IFD.GPSInfo)[GPS.GPSLatitudeRef] = "N"
    sent = encode(artwork(1600, 1000), "JPEG", exif=exif, xmp=XMP.encode(), quality=95)
    thumb = thumbnail_of_received(sent, max_pixels=10**8, quality=90)
    image = reopen(thumb.data)
    assert image.size == (thumb.width, thumb.height) == (400, THUMBNAIL_SIDE)
    assert not image.getexif() and DMI_PROHIBITED_AIML in xmp_of(image)
    assert thumb.media_type == "image/jpeg" and thumb.blurhash is None


def test_a_received_gif_is_thumbnailed_as_png_and_small_images_need_no_thumbnail():
    thumb = thumbnail_of_received(encode(artwork(900, 300), "GIF"), max_pixels=10**8, quality=90)
    assert (thumb.extension, thumb.width, thumb.height) == ("png", THUMBNAIL_SIDE, 213)
    assert fits_thumbnail(THUMBNAIL_SIDE, 200) and not fits_thumbnail(THUMBNAIL_SIDE + 1, 200)
