from __future__ import annotations

import base64
import hashlib

import pytest

from federation.digest import (
    DigestMismatch,
    check_content_digest,
    check_digest,
    content_digest_header,
    digest_header,
)

BODY = b'{"type":"Follow","actor":"https://a.example/u/1"}'
OTHER = b'{"type":"Follow","actor":"https://a.example/u/2"}'


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


SHA256 = b64(hashlib.sha256(BODY).digest())
SHA512 = b64(hashlib.sha512(BODY).digest())


# --- Digest ---------------------------------------------------------------------------------


def test_digest_header_is_sha256_base64() -> None:
    assert digest_header(BODY) == f"SHA-256={SHA256}"


@pytest.mark.parametrize("body", [BODY, b"", bytes(range(256)) * 10])
def test_digest_round_trip(body: bytes) -> None:
    check_digest(digest_header(body), body)


def test_digest_mismatch_raises() -> None:
    with pytest.raises(DigestMismatch, match="does not match"):
        check_digest(digest_header(BODY), OTHER)


@pytest.mark.parametrize("value", ["MD5=" + b64(hashlib.md5(BODY).digest()), "SHA=abc", "", "x"])
def test_digest_with_only_unknown_algorithms_raises(value: str) -> None:
    with pytest.raises(DigestMismatch, match="no supported algorithm"):
        check_digest(value, BODY)


@pytest.mark.parametrize("name", ["SHA-256", "sha-256", "Sha-256"])
def test_digest_algorithm_name_is_case_insensitive(name: str) -> None:
    check_digest(f"{name}={SHA256}", BODY)


def test_digest_with_several_algorithms_checks_all_known() -> None:
    check_digest(f"MD5=AAAA, SHA-256={SHA256}, SHA-512={SHA512}", BODY)
    check_digest(f"sha-512={SHA512}", BODY)
    wrong_512 = b64(hashlib.sha512(OTHER).digest())
    with pytest.raises(DigestMismatch, match="SHA-512"):
        check_digest(f"SHA-256={SHA256},SHA-512={wrong_512}", BODY)


def test_digest_invalid_base64_raises() -> None:
    with pytest.raises(DigestMismatch, match="base64"):
        check_digest("SHA-256=not*base64!", BODY)


# --- Content-Digest ---------------------------------------------------------------------------


def test_content_digest_header_is_sf_byte_sequence() -> None:
    assert content_digest_header(BODY) == f"sha-256=:{SHA256}:"


@pytest.mark.parametrize("body", [BODY, b""])
def test_content_digest_round_trip(body: bytes) -> None:
    check_content_digest(content_digest_header(body), body)


def test_content_digest_mismatch_raises() -> None:
    with pytest.raises(DigestMismatch, match="does not match"):
        check_content_digest(content_digest_header(BODY), OTHER)


@pytest.mark.parametrize("value", [f"sha-256={SHA256}", f"sha-256=:{SHA256}", f"sha-256={SHA256}:"])
def test_content_digest_without_colons_raises(value: str) -> None:
    with pytest.raises(DigestMismatch, match="byte sequence"):
        check_content_digest(value, BODY)


def test_content_digest_accepts_sha512() -> None:
    check_content_digest(f"sha-512=:{SHA512}:", BODY)
    check_content_digest(f"sha-256=:{SHA256}:, sha-512=:{SHA512}:", BODY)


def test_content_digest_unknown_algorithm_only_raises() -> None:
    with pytest.raises(DigestMismatch, match="no supported algorithm"):
        check_content_digest("md5=:AAAA:", BODY)
