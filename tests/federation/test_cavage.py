"""draft-cavage HTTP Signatures: our signer, our verifier, and interop with other signers
(a Mastodon-style request signed independently with `cryptography`, and bovine's signer)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from bovine.crypto.http_signature import HttpSignature
from bovine.crypto.types import CryptographicSecret
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding

from federation.digest import digest_header
from federation.keys import generate_rsa_keypair, load_private_key
from federation.signatures import cavage
from federation.signatures.cavage import ClockWindow, parse_signature_header, sign_headers
from federation.signatures.errors import SignatureError
from federation.signatures.verify import IncomingRequest, KeyHolder, verify_request

NOW = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
KEY_ID = "https://remote.example/users/ana#main-key"
OWNER = "https://remote.example/users/ana"
PRIVATE, PUBLIC = generate_rsa_keypair()
OTHER_PRIVATE, OTHER_PUBLIC = generate_rsa_keypair()
URL = "https://art.example/users/bob/inbox"
BODY = json.dumps({"type": "Follow", "id": "https://remote.example/1"}).encode()


def window(at: datetime = NOW) -> ClockWindow:
    return ClockWindow(at, 3900, 3600)


def lookup_for(*keys: str):
    """A key lookup that serves `keys` in turn on refresh, as a rotated key would appear."""
    served = list(keys)

    async def lookup(key_id: str, refresh: bool) -> KeyHolder:
        if refresh and len(served) > 1:
            served.pop(0)
        return KeyHolder(KEY_ID, OWNER, served[0])

    return lookup


def request(
    headers: dict[str, str], *, body: bytes = BODY, url: str = URL, method: str = "POST"
) -> IncomingRequest:
    return IncomingRequest(method, url, [(k.lower(), v) for k, v in headers.items()], body)


def our_post(body: bytes = BODY, *, at: datetime = NOW, key: str = PRIVATE) -> dict[str, str]:
    return sign_headers(
        method="POST",
        url=URL,
        headers={"content-type": "application/activity+json", "digest": digest_header(body)},
        key_id=KEY_ID,
        private_key_pem=key,
        now=at,
    )


async def test_our_signature_verifies_and_names_its_key_owner():
    holder = await verify_request(request(our_post()), lookup_for(PUBLIC), window())
    assert holder.owner == OWNER


async def test_signature_covers_the_headers_mastodon_requires():
    sig = parse_signature_header(our_post()["signature"])
    assert sig.algorithm == "rsa-sha256"
    assert sig.headers == ("(request-target)", "host", "date", "digest", "content-type")


@pytest.mark.parametrize(
    "order",
    [
        "(request-target) host date digest content-type",  # Mastodon 4.5
        "host date content-type digest (request-target)",  # Mastodon 4.7
    ],
)
async def test_mastodon_style_request_signed_independently_verifies(order):
    """Build the signing string by hand, as Mastodon's request.rb does, and sign with
    `cryptography` directly: our verifier must agree with another implementation."""
    date = format_datetime(NOW, usegmt=True)
    headers = {
        "Host": "art.example",
        "Date": date,
        "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode(),
        "Content-Type": "application/activity+json",
        "User-Agent": "Mastodon/4.7.0 (http.rb/5.2.0; +https://remote.example/)",
    }
    lines = []
    for name in order.split():
        if name == "(request-target)":
            lines.append("(request-target): post /users/bob/inbox")
        else:
            lines.append(f"{name}: {headers[name.title() if name != 'digest' else 'Digest']}")
    key = load_private_key(PRIVATE)
    signature = base64.b64encode(
        key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    headers["Signature"] = (
        f'keyId="{KEY_ID}",algorithm="rsa-sha256",headers="{order}",signature="{signature}"'
    )
    holder = await verify_request(request(headers), lookup_for(PUBLIC), window())
    assert holder.key_id == KEY_ID


async def test_bovine_signed_get_with_query_verifies():
    """bovine signs the query into (request-target); its own verifier drops it. Ours keeps it."""
    url = "https://art.example/users/bob/outbox?page=true"
    date = format_datetime(NOW, usegmt=True)
    secret = CryptographicSecret.from_pem(KEY_ID, PRIVATE)
    signature = (
        HttpSignature()
        .with_field("(request-target)", "get /users/bob/outbox?page=true")
        .with_field("host", "art.example")
        .with_field("date", date)
        .sign_for_http_draft(secret)
    )
    headers = {"host": "art.example", "date": date, "signature": signature}
    holder = await verify_request(
        request(headers, body=b"", url=url, method="GET"), lookup_for(PUBLIC), window()
    )
    assert holder.owner == OWNER


async def test_a_signature_over_another_query_does_not_verify():
    headers = sign_headers(
        method="GET",
        url="https://art.example/outbox?page=1",
        headers={},
        key_id=KEY_ID,
        private_key_pem=PRIVATE,
        now=NOW,
    )
    forged = request(headers, body=b"", url="https://art.example/outbox?page=2", method="GET")
    with pytest.raises(SignatureError, match="does not verify"):
        await verify_request(forged, lookup_for(PUBLIC), window())


async def test_rotated_key_is_refetched_once():
    signed = request(our_post(key=OTHER_PRIVATE))
    holder = await verify_request(signed, lookup_for(PUBLIC, OTHER_PUBLIC), window())
    assert holder.public_key_pem == OTHER_PUBLIC


async def test_wrong_key_is_refused_after_refetch():
    with pytest.raises(SignatureError, match="does not verify"):
        await verify_request(request(our_post(key=OTHER_PRIVATE)), lookup_for(PUBLIC), window())


async def test_body_changed_after_signing_is_refused():
    with pytest.raises(SignatureError, match="digest"):
        await verify_request(request(our_post(), body=BODY + b" "), lookup_for(PUBLIC), window())


async def test_missing_digest_on_post_is_refused():
    headers = sign_headers(
        method="POST",
        url=URL,
        headers={"content-type": "x"},
        key_id=KEY_ID,
        private_key_pem=PRIVATE,
        now=NOW,
    )
    with pytest.raises(SignatureError, match="digest"):
        await verify_request(request(headers), lookup_for(PUBLIC), window())


async def test_unsigned_digest_is_refused():
    headers = sign_headers(
        method="POST",
        url=URL,
        headers={"content-type": "application/activity+json"},
        key_id=KEY_ID,
        private_key_pem=PRIVATE,
        now=NOW,
    )
    headers["digest"] = digest_header(BODY)
    with pytest.raises(SignatureError, match="must cover digest"):
        await verify_request(request(headers), lookup_for(PUBLIC), window())


@pytest.mark.parametrize("offset, reason", [(-3901, "too old"), (3601, "in the future")])
async def test_dates_outside_the_window_are_refused(offset, reason):
    headers = our_post(at=NOW + timedelta(seconds=offset))
    with pytest.raises(SignatureError, match=reason):
        await verify_request(request(headers), lookup_for(PUBLIC), window())


async def test_dates_inside_the_window_are_accepted():
    for offset in (-3800, 3500):
        headers = our_post(at=NOW + timedelta(seconds=offset))
        await verify_request(request(headers), lookup_for(PUBLIC), window())


async def test_replay_of_a_captured_request_after_the_window_is_refused():
    captured = request(our_post())
    await verify_request(captured, lookup_for(PUBLIC), window())
    with pytest.raises(SignatureError, match="too old"):
        await verify_request(captured, lookup_for(PUBLIC), window(NOW + timedelta(hours=2)))


async def test_expired_created_expires_are_checked_on_our_clock():
    sig_headers = our_post()
    sig = cavage.CavageSignature(
        KEY_ID,
        "hs2019",
        ("(request-target)", "host", "(created)", "(expires)", "digest"),
        b"",
        created=int(NOW.timestamp()),
        expires=int(NOW.timestamp()) + 60,
    )
    message = cavage.signing_string(sig, "POST", "/users/bob/inbox", sig_headers)
    value = base64.b64encode(
        load_private_key(PRIVATE).sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    headers = dict(
        sig_headers,
        signature=(
            f'keyId="{KEY_ID}",algorithm="hs2019",created={sig.created},expires={sig.expires},'
            f'headers="{" ".join(sig.headers)}",signature="{value}"'
        ),
    )
    await verify_request(request(headers), lookup_for(PUBLIC), window())
    with pytest.raises(SignatureError, match="expired"):
        await verify_request(
            request(headers), lookup_for(PUBLIC), window(NOW + timedelta(seconds=120))
        )


async def test_ed25519_hs2019_signature_verifies():
    private = ed25519.Ed25519PrivateKey.generate()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    headers = our_post()
    sig = parse_signature_header(headers["signature"])
    message = cavage.signing_string(sig, "POST", "/users/bob/inbox", headers)
    value = base64.b64encode(private.sign(message.encode())).decode()
    headers["signature"] = (
        f'keyId="{KEY_ID}",algorithm="hs2019",headers="{" ".join(sig.headers)}",signature="{value}"'
    )
    await verify_request(request(headers), lookup_for(public_pem), window())


@pytest.mark.parametrize(
    "header, reason",
    [
        ('keyId="k",algorithm="rsa-sha256",headers="date"', "no signature"),
        ('algorithm="rsa-sha256",headers="date",signature="AAAA"', "no keyId"),
        ('keyId="k",algorithm="rsa-sha512",headers="date",signature="AAAA"', "unsupported"),
        ('keyId="k",signature="not base64!"', "base64"),
        ('keyId="k" signature="AAAA"', "malformed"),
        ('keyId="k",keyId="j",signature="AAAA"', "repeats"),
        ("x" * 9000, "too long"),
    ],
)
def test_malformed_signature_headers_are_refused_with_a_reason(header, reason):
    with pytest.raises(SignatureError, match=reason):
        parse_signature_header(header)


def test_header_parser_accepts_spaces_and_commas_in_values():
    sig = parse_signature_header(
        'keyId="https://x.example/a,b#k", algorithm="rsa-sha256", headers="date", signature="AAAA"'
    )
    assert sig.key_id == "https://x.example/a,b#k"
