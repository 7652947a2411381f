"""Judging a remote image's Content Credentials against the post that carries it, on files
signed for real (cloak/content_credentials.py, c2pa-python): only a valid manifest, signed
under a CA trusted for the author's server, naming the post's author, earns the line."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache

from PIL import Image

from cloak import content_credentials as cc
from cloak.signing_identity import Identity, make_identity
from inbox.credentials_check import judge
from tests.inbox.screening.c2pa_signing import sign as sign_generated

AUTHOR = "https://art.example/users/ada"
NOW = datetime(2026, 12, 6, tzinfo=UTC)


@lru_cache(maxsize=4)
def identity(domain: str) -> Identity:
    return make_identity(domain, NOW)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def signed(actor_url: str = AUTHOR, domain: str = "art.example") -> bytes:
    said = cc.Statement("Ada", "@ada@art.example", actor_url, made_as="scan")
    ident = identity(domain)
    return cc.sign(
        jpeg(), "image/jpeg", said, chain_pem=ident.chain_pem, key_pem=ident.signing_key_pem
    )


def test_valid_trusted_and_naming_the_author_holds():
    record = judge(cc.read(signed(), identity("art.example").ca_pem), AUTHOR)
    assert record["state"] == "trusted" and record["reason"] == ""
    assert record["creator_name"] == "Ada" and record["handle"] == "@ada@art.example"
    assert record["made_as"] == "scan" and record["no_training"] is True


def test_a_signer_not_trusted_for_that_domain_earns_nothing():
    data = signed()
    assert judge(cc.read(data), AUTHOR)["state"] == "untrusted"
    # Trusting another server's CA vouches for nothing this one signs.
    assert judge(cc.read(data, identity("other.example").ca_pem), AUTHOR)["state"] == "untrusted"


def test_a_forged_creator_is_recorded_as_forged_even_under_a_trusted_ca():
    """A trusted server's manifest naming someone other than the post's author (a copy of
    Ada's work reposted by someone else, or a server claiming another's artist)."""
    data = signed(actor_url="https://art.example/users/someone-else")
    record = judge(cc.read(data, identity("art.example").ca_pem), AUTHOR)
    assert record["state"] == "forged" and "someone-else" in record["reason"]


def test_changed_pixels_are_recorded_as_invalid():
    data = bytearray(signed())
    data[-200] ^= 0xFF
    record = judge(cc.read(bytes(data), identity("art.example").ca_pem), AUTHOR)
    assert record["state"] == "invalid" and "dataHash.mismatch" in record["reason"]


def test_a_generative_source_type_is_never_a_credential():
    data = sign_generated(jpeg(), "image/jpeg")
    record = judge(cc.read(data), AUTHOR)
    assert record["state"] == "generated" and "trainedAlgorithmicMedia" in record["reason"]


def test_no_manifest_no_record():
    assert judge(cc.read(jpeg()), AUTHOR) is None
