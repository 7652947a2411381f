"""Signal 4: the Stable Diffusion watermarks, written here as the reference code writes them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from inbox.screening import watermark
from inbox.screening.watermark import SD1_PAYLOAD, SD2_PAYLOAD, SDXL_BITS, payload_bits
from tests.inbox.screening import images as img
from tests.inbox.screening.watermark_embed import encode_bits

SIZES = (512, 1024)


def marked(name: str, size: int, bits, *, sdxl: bool = False) -> Image.Image:
    rgb = np.asarray(img.photo(name).resize((size, size)))
    return Image.fromarray(encode_bits(rgb, bits, sdxl=sdxl))


def png_round_trip(image: Image.Image) -> Image.Image:
    return Image.open(io.BytesIO(img.encode(image, "PNG")))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["astronaut", "rocket"])
def test_sd1_watermark_fires_and_says_how_unlikely_chance_is(name, size):
    finding = watermark.check(png_round_trip(marked(name, size, payload_bits(SD1_PAYLOAD))))
    assert finding is not None and finding.outcome == "refuse"
    assert finding.value["payload"].startswith("Stable Diffusion 1.x")
    assert finding.value["chance"] < 1e-6 / watermark.DECODINGS
    assert "below one in a million" in finding.detail


def test_sd2_and_sdxl_watermarks_fire():
    sd2 = watermark.check(png_round_trip(marked("astronaut", 1024, payload_bits(SD2_PAYLOAD))))
    assert sd2 is not None and "2.x" in sd2.value["payload"]
    sdxl = watermark.check(png_round_trip(marked("rocket", 1024, SDXL_BITS)))
    assert sdxl is not None and "SDXL" in sdxl.value["payload"]
    # SDXL's own pipeline wrote float pixels: read in the float domain.
    floaty = watermark.check(png_round_trip(marked("astronaut", 1024, SDXL_BITS, sdxl=True)))
    assert floaty is not None and floaty.value["float_domain"] is True


def test_decoder_reads_back_what_was_written():
    rgb = np.asarray(img.photo("astronaut").resize((512, 512)))
    bits = payload_bits(SD1_PAYLOAD)
    assert (watermark.decode_bits(encode_bits(rgb, bits), len(bits)) == bits).all()


@pytest.mark.parametrize("name", (*img.PHOTOS, "hubble_deep_field", "immunohistochemistry"))
@pytest.mark.parametrize("size", SIZES)
def test_clean_photographs_do_not_fire(name, size):
    image = img.photo(name).resize((size, size))
    assert watermark.check(image) is None
    assert watermark.check(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)) is None


def test_small_images_are_not_read():
    assert watermark.check(img.photo("astronaut").resize((200, 200))) is None


def test_match_probability_is_the_binomial_tail():
    assert watermark.match_probability(4, 4) == 1 / 16
    assert watermark.match_probability(4, 0) == 1.0
    assert watermark.match_probability(48, 48) == pytest.approx(2.0**-48)
