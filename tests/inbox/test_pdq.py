"""PDQ: the same function as Meta's reference, robust to what re-posting does to an image.

The expected hashes were made by the `pdqhash` 0.2.8 binding of Meta's C++ reference
(`pdqhash.compute` on the RGB array, bits joined in order and read as hex, as ThreatExchange's
pdq_hasher does), on scikit-image's bundled sample photographs."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps
from skimage import data as skimage_data

from inbox.screening import pdq

REFERENCE = {
    "astronaut": "2d6b1af3a956c529e79ca3d2526fa834d4196c81cedd04de0a26b855fc99b724",
    "coffee": "8c629e779a663698b9a33866c026726c21a679f61eb6e1f8c79ba7e23c8299e0",
    "chelsea": "5feb5321f01da156898e2bf629a5d3438412cdbd23f48942464526315db33ffd",
    "camera": "dc9c9d3b746978f888f40ce6e5c3f70f7266623e8d989cb99f21f2010841e1c7",
}
COFFEE_DIHEDRAL = {
    "8c629e779a663698b9a33866c026726c21a679f61eb6e1f8c79ba7e23c8299e0",
    "ea1d74a51dd6029cec630fd0712cf50218fd0aaaeff5ae831118881beeee1577",
    "c93734ddcb329c36acf612cc947258c674f2d35c4ae34b5292ce0d5c29d7334a",
    "bf485e0f4883a836bb36a57b24795fa84daab000baa0052d444d32b5bbbb3fdd",
    "9c6261889e67c967f9a3c799c9278d9321a786091fb61e07c79b581d7c82661f",
    "8936cb22cb326389acf66d339472272974f22ca34ae3b4ad92cef2a32957c8b5",
    "ea1d03581dd67d63ec63d02e712c08dd18ffe555eff55078111867e0eeee4808",
    "ba48a1f0488357c9b9365a842479a0574daa4fffbaa0fad6444ddd4ebbbbc022",
}


def sample(name: str) -> Image.Image:
    return Image.fromarray(getattr(skimage_data, name)()).convert("RGB")


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_hash_is_the_reference_hash(name):
    found = pdq.compute(sample(name))
    assert found.hex == REFERENCE[name]
    assert found.quality == 100


def test_a_large_photo_hashes_as_the_reference_does():
    big = Image.fromarray(skimage_data.rocket()).resize((2400, 1700), Image.LANCZOS)
    assert pdq.compute(big).hex == (
        "c792786c87937064bf1bc0e43f1fc0e03f1cc2e33da4c2537cec821b24e4f376"
    )


def test_dihedral_hashes_are_the_references_eight():
    variants = pdq.dihedral(sample("coffee"))
    assert variants[0] == REFERENCE["coffee"]
    assert set(variants) == COFFEE_DIHEDRAL


def test_a_flat_image_has_no_quality_and_is_not_trusted():
    flat = pdq.compute(Image.new("RGB", (300, 200), (120, 90, 200)))
    assert flat.quality == 0
    assert not flat.trusted


def test_transparency_is_hashed_over_white():
    base = sample("chelsea")
    rgba = base.convert("RGBA")
    rgba.putalpha(255)
    assert pdq.compute(rgba).hex == pdq.compute(base).hex


@pytest.mark.parametrize(
    "change",
    [
        lambda im: jpeg(im, 60),
        lambda im: jpeg(im.resize((im.width * 4 // 5, im.height * 4 // 5), Image.LANCZOS), 80),
        lambda im: im.resize((im.width * 3 // 2, im.height * 3 // 2), Image.BICUBIC),
        lambda im: ImageEnhance.Color(im).enhance(1.15),
        lambda im: ImageOps.grayscale(im),
    ],
    ids=["jpeg60", "resize0.8-jpeg80", "resize1.5", "saturation", "greyscale"],
)
def test_reposted_copies_stay_within_the_match_distance(change):
    original = sample("astronaut")
    assert pdq.distance(pdq.compute(change(original)).hex, REFERENCE["astronaut"]) <= (
        pdq.MATCH_DISTANCE
    )


def test_a_mirror_matches_through_the_dihedral_hashes_only():
    mirrored = pdq.compute(ImageOps.mirror(sample("astronaut"))).hex
    assert pdq.distance(mirrored, REFERENCE["astronaut"]) > pdq.MATCH_DISTANCE
    assert min(pdq.distance(mirrored, v) for v in pdq.dihedral(sample("astronaut"))) <= (
        pdq.MATCH_DISTANCE
    )


def test_different_photos_are_far_apart():
    hashes = list(REFERENCE.values())
    found = pdq.distances(pdq.to_words(hashes), pdq.to_words(hashes))
    off_diagonal = found[~np.eye(len(hashes), dtype=bool)]
    assert off_diagonal.min() > 3 * pdq.MATCH_DISTANCE
    assert (np.diag(found) == 0).all()
    assert found[0, 1] == pdq.distance(hashes[0], hashes[1])


def test_hex_hash_check():
    assert pdq.is_hex_hash(REFERENCE["coffee"])
    assert not pdq.is_hex_hash(REFERENCE["coffee"][:-1])
    assert not pdq.is_hex_hash("z" * 64)
    assert not pdq.is_hex_hash(None)


def test_nearest_is_the_least_distance_to_any_variant():
    rng = np.random.default_rng(3)
    listed = [rng.bytes(32).hex() for _ in range(50)]
    query = [rng.bytes(32).hex() for _ in range(8)]
    columns = np.ascontiguousarray(pdq.to_words(listed).T)
    expected = [min(pdq.distance(q, h) for q in query) for h in listed]
    assert pdq.nearest(pdq.to_words(query), columns).tolist() == expected
