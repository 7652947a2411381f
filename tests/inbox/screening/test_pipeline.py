"""The whole pipeline: each marked image fires its own signal and no other; clean photographs
fire nothing; verdicts combine as documented."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cara_fed.config import ScreeningSection
from inbox.screening.screener import Screener
from inbox.screening.types import Finding, MediaContext, combine
from inbox.screening.watermark import SD1_PAYLOAD, payload_bits
from tests.inbox.screening import images as img
from tests.inbox.screening.c2pa_signing import sign
from tests.inbox.screening.test_signals import TRAINED
from tests.inbox.screening.watermark_embed import encode_bits

SCREENER = Screener(
    replace(ScreeningSection(), classifier="off"), models_dir=Path("."), max_pixels=10**8
)


def marked_images() -> dict[str, tuple[str, bytes]]:
    photo = img.photo("chelsea").resize((512, 384))
    wm = Image.fromarray(encode_bits(np.asarray(photo), payload_bits(SD1_PAYLOAD)))
    return {
        "c2pa": ("c2pa", sign(img.encode(photo, "JPEG"), "image/jpeg")),
        "iptc": ("iptc", img.encode(photo, "JPEG", xmp=img.xmp_packet(TRAINED))),
        "a1111": ("generator", img.png_with_text(photo, parameters=img.A1111_PARAMETERS)),
        "stealth": ("generator", img.hide_stealth(photo, {"prompt": "x", "steps": 20})),
        "watermark": ("watermark", img.encode(wm, "PNG")),
    }


def fired(data: bytes, context: MediaContext | None = None) -> set[str]:
    verdict = SCREENER.screen(data, context or MediaContext())
    return {e["signal"] for e in verdict.evidence if e["outcome"] in ("refuse", "review")}


@pytest.mark.parametrize("case", sorted(marked_images()))
def test_each_marked_image_fires_only_its_signal(case):
    expected, data = marked_images()[case]
    assert fired(data) == {expected}
    assert SCREENER.screen(data, MediaContext()).outcome == "refuse"


@pytest.mark.parametrize("name", img.PHOTOS)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_photographs_pass(name, fmt):
    data = img.encode(img.photo(name), fmt)
    assert fired(data, MediaContext(text="Oil on canvas, #painting")) == set()


def test_declarations_and_listed_sources_follow_their_settings():
    clean = img.encode(img.photo("coffee"), "PNG")
    assert fired(clean, MediaContext(text="#aiart")) == {"declaration"}
    listed = MediaContext(listed_as="domain")
    verdict = SCREENER.screen(clean, listed)
    assert verdict.outcome == "review" and "listed" in verdict.reason
    quiet = Screener(
        replace(
            ScreeningSection(),
            classifier="off",
            listed_source_outcome="off",
            declaration_outcome="review",
        ),
        models_dir=Path("."),
        max_pixels=10**8,
    )
    assert quiet.screen(clean, listed).outcome == "accept"
    assert quiet.screen(clean, MediaContext(text="#aiart")).outcome == "review"


def test_screening_can_be_turned_off():
    off = Screener(
        replace(ScreeningSection(), enabled=False), models_dir=Path("."), max_pixels=10**8
    )
    assert off.screen(marked_images()["a1111"][1], MediaContext()).outcome == "accept"


def test_refuse_beats_review_beats_accept():
    refuse = Finding("a", "refuse", "x")
    review = Finding("b", "review", "y")
    advice = Finding("c", "advice", "z")
    assert combine([advice, review, refuse]).outcome == "refuse"
    assert combine([advice, review]).outcome == "review"
    assert combine([advice]).outcome == "accept"
    assert combine([review, refuse]).reason == "a: x"
