"""Content Credentials written by cloak/content_credentials.py and read back with c2pa-python's
own Reader: the statement, the signature over the pixels, and trust only through a pinned CA."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache

import pytest
from PIL import Image

from cloak import content_credentials as cc
from cloak.sanitize import encode_image, xmp_packet
from cloak.signing_identity import Identity, make_identity, renew_signing
from cloak.xmp import rights_xmp

NOW = datetime(2026, 12, 6, tzinfo=UTC)
STATEMENT = cc.Statement(
    creator_name="Ada Lovelace",
    handle="@ada@art.example",
    actor_url="https://art.example/users/ada",
    made_as="scan",
    resized=True,
    cloaked=True,
)
FORMATS = [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]


@lru_cache(maxsize=2)
def identity(domain: str = "art.example") -> Identity:
    return make_identity(domain, NOW)


def artwork(save_format: str) -> bytes:
    image = Image.radial_gradient("L").resize((320, 240)).convert("RGB")
    xmp = rights_xmp(
        creator="Ada Lovelace", copyright_notice="© Ada", credit="Ada", web_statement="https://x"
    )
    return encode_image(image, save_format, quality=90, xmp=xmp).data


def signed(save_format: str = "JPEG", media_type: str = "image/jpeg") -> bytes:
    ident = identity()
    return cc.sign(
        artwork(save_format),
        media_type,
        STATEMENT,
        chain_pem=ident.chain_pem,
        key_pem=ident.signing_key_pem,
    )


@pytest.mark.parametrize("save_format, media_type", FORMATS)
def test_a_signed_rendition_validates_apart_from_trust_and_says_what_the_artist_said(
    save_format, media_type
):
    data = signed(save_format, media_type)
    found = cc.read(data)
    assert found is not None
    assert found.validation_state == "Valid" and found.signature_valid and not found.trusted
    assert (found.creator_name, found.handle, found.actor_url) == (
        "Ada Lovelace",
        "@ada@art.example",
        "https://art.example/users/ada",
    )
    assert found.source_type == cc.IPTC + "print"
    assert found.training == {use: "notAllowed" for use in cc.TRAINING_USES}
    assert found.no_training and not found.generative
    assert found.issuer == "art.example"  # the CA's organisation: the instance's domain
    assert found.actions == (
        "c2pa.created",
        "c2pa.edited.metadata",
        "c2pa.resized",
        "c2pa.filtered",
    )
    with Image.open(io.BytesIO(data)) as image:  # still an image, rights XMP kept
        image.load()
        assert "DMI-PROHIBITED-AIMLTRAINING" in (xmp_packet(image) or "")


def test_trusted_only_through_the_pinned_ca():
    data = signed()
    assert cc.read(data, identity().ca_pem).validation_state == "Trusted"
    other = identity("other.example")
    found = cc.read(data, other.ca_pem)
    assert not found.trusted and found.signature_valid


def test_the_signature_breaks_when_the_pixels_change():
    data = bytearray(signed())
    data[-200] ^= 0xFF  # inside the entropy-coded image data, after the manifest
    found = cc.read(bytes(data), identity().ca_pem)
    assert found is not None
    assert found.validation_state == "Invalid"
    assert not found.signature_valid and not found.trusted
    assert "assertion.dataHash.mismatch" in found.failures


def test_a_re_encoded_copy_carries_no_credentials():
    with Image.open(io.BytesIO(signed())) as image:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
    assert cc.read(out.getvalue()) is None


def test_a_rotated_signing_certificate_is_still_trusted_under_the_same_ca():
    ident = identity()
    rotated = renew_signing(ident, "art.example", NOW)
    assert rotated.ca_pem == ident.ca_pem and rotated.signing_pem != ident.signing_pem
    data = cc.sign(
        artwork("JPEG"),
        "image/jpeg",
        STATEMENT,
        chain_pem=rotated.chain_pem,
        key_pem=rotated.signing_key_pem,
    )
    assert cc.read(data, ident.ca_pem).trusted


def test_only_the_three_declarations_and_never_a_generative_type():
    assert set(cc.MADE_AS) == {"digital", "photo", "scan"}
    assert not any("Algorithmic" in url for url in cc.MADE_AS.values())
    with pytest.raises(ValueError, match="unknown declaration"):
        cc.manifest(cc.Statement("A", "@a@b", "https://b/a", made_as="trainedAlgorithmicMedia"))


def test_uncloaked_and_not_resized_say_neither():
    plain = cc.Statement("A", "@a@b", "https://b/users/a")
    actions = cc.manifest(plain)["assertions"][0]["data"]["actions"]
    assert [a["action"] for a in actions] == ["c2pa.created", "c2pa.edited.metadata"]
    assert actions[0]["digitalSourceType"] == cc.IPTC + "digitalCreation"
