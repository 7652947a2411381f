"""Each metadata signal fires on its own image, not on the same photograph without the
marker, not on clean photographs, and not on the other signals' images."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from inbox.screening import generator, iptc
from inbox.screening.metadata import read_metadata
from tests.inbox.screening import images as img

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


def marked() -> dict[str, tuple[str, bytes]]:
    """signal name → (which detector should fire, image bytes)."""
    base = img.photo("astronaut")
    small = base.resize((256, 256))
    return {
        "iptc-jpeg-attribute": ("iptc", img.encode(base, "JPEG", xmp=img.xmp_packet(TRAINED))),
        "iptc-webp-resource": (
            "iptc",
            img.encode(base, "WEBP", xmp=img.xmp_packet(COMPOSITE, "resource")),
        ),
        "iptc-png-element": (
            "iptc",
            img.png_with_text(
                small, **{"XML:com.adobe.xmp": img.xmp_packet(TRAINED, "element").decode()}
            ),
        ),
        "a1111": ("generator", img.png_with_text(small, parameters=img.A1111_PARAMETERS)),
        "comfy-prompt": ("generator", img.png_with_text(small, prompt=img.COMFY_PROMPT)),
        "comfy-workflow": ("generator", img.png_with_text(small, workflow=img.COMFY_WORKFLOW)),
        "novelai-chunks": (
            "generator",
            img.png_with_text(
                small,
                Software="NovelAI",
                Source="NovelAI Diffusion V3",
                Comment=img.NOVELAI_COMMENT,
            ),
        ),
        "novelai-stealth": ("generator", img.hide_stealth(small, {"prompt": "1girl", "steps": 28})),
        "novelai-stealth-info": (
            "generator",
            img.hide_stealth(small, {"prompt": "x"}, magic=b"stealth_pnginfo"),
        ),
        "exif-software": ("generator", img.with_exif_software(base, "Adobe Firefly 3")),
    }


def detect(data: bytes) -> set[str]:
    image = Image.open(io.BytesIO(data))
    image.load()
    metadata = read_metadata(image)
    fired = set()
    if iptc.check(metadata):
        fired.add("iptc")
    if generator.check(image, metadata):
        fired.add("generator")
    return fired


@pytest.mark.parametrize("case", sorted(marked()))
def test_each_marker_fires_its_own_signal_only(case):
    expected, data = marked()[case]
    assert detect(data) == {expected}


@pytest.mark.parametrize("case", sorted(marked()))
def test_the_same_image_stripped_of_its_marker_is_clean(case):
    _, data = marked()[case]
    stripped = Image.open(io.BytesIO(data)).convert("RGB")  # pixels only, opaque
    assert detect(img.encode(stripped, "PNG")) == set()
    assert detect(img.encode(stripped, "JPEG")) == set()


@pytest.mark.parametrize("name", img.PHOTOS)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_photographs_fire_nothing(name, fmt):
    assert detect(img.encode(img.photo(name), fmt)) == set()


def test_ordinary_metadata_does_not_fire():
    """Precision: a human's tools write chunks too; only generators' structures count."""
    base = img.photo("coffee").resize((200, 150))
    ordinary = [
        img.png_with_text(base, Software="GIMP 2.10.36", Comment="painted over two evenings"),
        img.png_with_text(base, parameters="brush size 12, opacity 80%"),
        img.png_with_text(base, prompt="sketch prompt from a drawing challenge"),
        img.with_exif_software(base, "Adobe Photoshop 25.0 (Macintosh)"),
        img.with_exif_software(base, "Krita 5.2"),
        img.encode(
            base,
            "JPEG",
            xmp=img.xmp_packet("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"),
        ),
        img.hide_stealth(base, {"x": 1}, magic=b"stealth_nothing"),
    ]
    for data in ordinary:
        assert detect(data) == set()


def test_evidence_names_what_fired():
    _, data = marked()["a1111"]
    image = Image.open(io.BytesIO(data))
    finding = generator.check(image, read_metadata(image))
    assert finding.outcome == "refuse"
    assert "AUTOMATIC1111" in finding.detail
    assert "Steps: 28" in finding.value["excerpt"]
    _, data = marked()["novelai-stealth"]
    image = Image.open(io.BytesIO(data))
    finding = generator.check(image, read_metadata(image))
    assert "alpha channel" in finding.detail and "prompt" in finding.value["payload"]
