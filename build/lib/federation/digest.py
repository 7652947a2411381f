"""Body digests: `Digest` (draft-cavage era, RFC 3230) and `Content-Digest` (RFC 9530)."""

from __future__ import annotations

import base64
import hashlib
import hmac

_ALGORITHMS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


def digest_header(body: bytes) -> str:
    """The `Digest` value Mastodon sends and expects: `SHA-256=<base64>`."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def content_digest_header(body: bytes) -> str:
    """RFC 9530 `Content-Digest` as a structured-field dictionary: `sha-256=:<base64>:`."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


class DigestMismatch(Exception):
    pass


def check_digest(value: str, body: bytes) -> None:
    """Verify a `Digest` header; at least one known algorithm must be present and all match."""
    checked = 0
    for part in value.split(","):
        name, sep, encoded = part.strip().partition("=")
        algorithm = _ALGORITHMS.get(name.strip().lower())
        if not sep or algorithm is None:
            continue
        _compare(algorithm(body).digest(), encoded.strip(), name)
        checked += 1
    if not checked:
        raise DigestMismatch("Digest header names no supported algorithm (use SHA-256)")


def check_content_digest(value: str, body: bytes) -> None:
    """Verify an RFC 9530 `Content-Digest` header (`sha-256=:b64:`, `sha-512=:b64:`)."""
    checked = 0
    for part in value.split(","):
        name, sep, encoded = part.strip().partition("=")
        algorithm = _ALGORITHMS.get(name.strip().lower())
        encoded = encoded.strip()
        if not sep or algorithm is None:
            continue
        if not (encoded.startswith(":") and encoded.endswith(":") and len(encoded) >= 2):
            raise DigestMismatch(f"Content-Digest {name} is not a byte sequence (:base64:)")
        _compare(algorithm(body).digest(), encoded[1:-1], name)
        checked += 1
    if not checked:
        raise DigestMismatch("Content-Digest names no supported algorithm (use sha-256)")


def _compare(actual: bytes, encoded: str, name: str) -> None:
    try:
        claimed = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise DigestMismatch(f"{name} digest is not valid base64") from None
    if not hmac.compare_digest(actual, claimed):
        raise DigestMismatch(f"{name} digest does not match the body")
