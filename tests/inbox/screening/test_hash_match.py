"""Matching images against hash lists, and which refusals are listed."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from cara_fed.config import ScreeningSection
from inbox.screening import pdq
from inbox.screening.hash_match import (
    EMPTY,
    HashIndex,
    ListedHash,
    refusal_listings,
    rejection_listings,
)
from inbox.screening.screener import Screener
from inbox.screening.types import MediaContext
from tests.inbox.screening import images as img

A = "https://a.example/hash-list"
C = "https://c.example/hash-list"


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def far_from(value: str) -> str:
    """A hash that differs from `value` in every bit."""
    return f"{int(value, 16) ^ ((1 << 256) - 1):064x}"


def test_the_nearest_entry_within_the_distance_matches():
    cat = pdq.compute(img.photo("chelsea"))
    index = HashIndex(
        [far_from(cat.hex), cat.hex], [ListedHash(A, "e1", "refuse"), ListedHash(A, "e2", "refuse")]
    )
    copy = pdq.compute_with_variants(Image.open(io.BytesIO(jpeg(img.photo("chelsea"), 60))))
    listed, distance = index.match(copy[1])
    assert listed.entry_id == "e2" and distance <= pdq.MATCH_DISTANCE


def test_a_refusing_list_wins_over_a_reviewing_one_and_unrelated_images_do_not_match():
    cat = pdq.compute(img.photo("chelsea")).hex
    index = HashIndex([cat, cat], [ListedHash(C, "c1", "review"), ListedHash(A, "a1", "refuse")])
    assert index.match([cat])[0].entry_id == "a1"
    assert index.match(pdq.dihedral(img.photo("coffee"))) is None
    assert EMPTY.match([cat]) is None


def test_the_screener_refuses_a_mirrored_copy_and_names_the_list():
    screener = Screener(
        ScreeningSection(classifier="off"), models_dir=Path("unused"), max_pixels=10**8
    )
    listed = pdq.compute(img.photo("astronaut")).hex
    screener.hash_index = HashIndex([listed], [ListedHash(A, f"{A}/entries/7", "refuse")])
    mirrored = jpeg(ImageOps.mirror(img.photo("astronaut")).resize((400, 400)))
    verdict = screener.screen(mirrored, MediaContext())
    assert verdict.outcome == "refuse"
    [found] = [e for e in verdict.evidence if e["signal"] == "hash_list"]
    assert found["value"]["list"] == A and found["value"]["entry"] == f"{A}/entries/7"
    assert f"entries/7 of the hash list {A}" in verdict.reason
    # Unlisted, the same image is accepted; its hash is kept in the evidence.
    screener.hash_index = EMPTY
    clean = screener.screen(mirrored, MediaContext())
    assert clean.outcome == "accept"
    assert [e["signal"] for e in clean.evidence] == ["pdq"]


def test_a_flat_image_matches_nothing():
    """Flat images all hash alike (quality 0): matching them would refuse every blank."""
    screener = Screener(
        ScreeningSection(classifier="off"), models_dir=Path("unused"), max_pixels=10**8
    )
    blank = Image.new("RGB", (300, 200), (240, 240, 240))
    blank_hash = pdq.compute(blank)
    assert not blank_hash.trusted
    screener.hash_index = HashIndex([blank_hash.hex], [ListedHash(A, "e", "refuse")])
    assert screener.screen(jpeg(blank, 95), MediaContext()).outcome == "accept"


def image_evidence(verdict: str, *signals: tuple[str, str], quality: int = 100) -> dict:
    evidence = [{"signal": s, "outcome": o, "detail": "", "value": None} for s, o in signals]
    evidence.append(
        {
            "signal": "pdq",
            "outcome": "advice",
            "detail": "",
            "value": {"hash": "ab" * 32, "quality": quality},
        }
    )
    return {"image": 0, "sha256": "x", "verdict": verdict, "evidence": evidence}


def test_provenance_and_declarations_are_listed_and_other_refusals_are_not():
    per_image = [
        image_evidence("refuse", ("generator", "refuse"), ("declaration", "refuse")),
        image_evidence("refuse", ("declaration", "refuse")),
        image_evidence("refuse", ("listed_source", "refuse")),
        image_evidence("refuse", ("hash_list", "refuse")),
        image_evidence("accept"),
        image_evidence("refuse", ("c2pa", "refuse"), quality=20),
    ]
    assert [(x.reason, x.quality) for x in refusal_listings(per_image)] == [
        ("provenance", 100),
        ("declaration", 100),
    ]


def test_a_rejection_lists_the_held_images_only():
    per_image = [image_evidence("review", ("classifier", "review")), image_evidence("accept")]
    assert [x.reason for x in rejection_listings(per_image)] == ["moderator"]
    assert rejection_listings([{"verdict": "review", "evidence": []}]) == []
