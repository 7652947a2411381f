"""RFC 9421 HTTP Message Signatures on incoming requests (Mastodon ≥ 4.5 retries with them).

Cryptography and the signature base come from `http-message-signatures` (checked against the
RFC's Appendix B vectors in our tests). Policy is ours: one signature, `keyid` and `created`
required, `@method` and `@target-uri` (or `@authority` + `@path`) covered, `content-digest`
covered on requests with a body, and the time window from the instance config, on our clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import http_sf
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from http_message_signatures import HTTPMessageVerifier, InvalidSignature, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException

from federation.keys import UnusableKey, load_public_key
from federation.signatures.cavage import ClockWindow
from federation.signatures.errors import SignatureError


@dataclass(frozen=True)
class Rfc9421Input:
    label: str
    key_id: str
    components: tuple[str, ...]
    created: int | None
    expires: int | None
    alg: str | None


class _Headers:
    """The header view the library reads: every field line, in wire order."""

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self._lines = lines

    def items(self) -> list[tuple[str, str]]:
        return self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(name for name, _ in self._lines))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(k == name.lower() for k, _ in self._lines)


@dataclass
class _Message:
    method: str
    url: str
    headers: _Headers


def parse_input(request) -> Rfc9421Input:
    raw = request.header("signature-input") or ""
    if len(raw) > 8192:
        raise SignatureError("Signature-Input is too long")
    try:
        parsed = http_sf.parse(raw.encode(), tltype="dictionary")
    except Exception:
        raise SignatureError("Signature-Input is not a structured-field dictionary") from None
    if len(parsed) != 1:
        raise SignatureError("exactly one signature is expected in Signature-Input")
    label, (members, params) = next(iter(parsed.items()))
    if not isinstance(members, list):
        raise SignatureError("Signature-Input member must be an inner list")
    components = []
    for member in members:
        value = member[0] if isinstance(member, tuple) else member
        if not isinstance(value, str):
            raise SignatureError("Signature-Input components must be strings")
        components.append(value.lower())
    key_id = params.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise SignatureError("Signature-Input has no keyid")

    def timestamp(name: str) -> int | None:
        value = params.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise SignatureError(f"Signature-Input {name} must be an integer")
        return value

    alg = params.get("alg")
    return Rfc9421Input(
        label,
        key_id,
        tuple(components),
        timestamp("created"),
        timestamp("expires"),
        alg if isinstance(alg, str) else None,
    )


def check_covered(params: Rfc9421Input, request) -> None:
    covered = set(params.components)
    if "@method" not in covered:
        raise SignatureError("RFC 9421 signature must cover @method")
    if "@target-uri" not in covered and not {"@authority", "@path"} <= covered:
        raise SignatureError("RFC 9421 signature must cover @target-uri")
    if (request.body or request.method.upper() == "POST") and "content-digest" not in covered:
        raise SignatureError(
            "RFC 9421 signature on a request with a body must cover content-digest"
        )


def check_time(params: Rfc9421Input, window: ClockWindow) -> None:
    if params.created is None:
        raise SignatureError("RFC 9421 signature has no created time")
    window.check_created_expires(params.created, params.expires)


def _algorithms_for(key, alg: str | None) -> list[type]:
    """The algorithms to try: the one `alg` names, else what the key type allows (for RSA,
    PKCS#1 v1.5 first, as Mastodon signs, then PSS)."""
    if isinstance(key, rsa.RSAPublicKey):
        candidates = [algorithms.RSA_V1_5_SHA256, algorithms.RSA_PSS_SHA512]
    elif isinstance(key, ed25519.Ed25519PublicKey):
        candidates = [algorithms.ED25519]
    elif isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        candidates = [algorithms.ECDSA_P256_SHA256]
    else:
        raise SignatureError("the key type is not supported for RFC 9421")
    if alg is not None:
        candidates = [c for c in candidates if c.algorithm_id == alg]
        if not candidates:
            raise SignatureError(f"alg {alg!r} does not fit the actor's key")
    return candidates


class _Resolver:
    def __init__(self, key_id: str, key) -> None:
        self._key_id, self._key = key_id, key

    def resolve_public_key(self, key_id: str):
        return self._key if key_id == self._key_id else None


class _Verifier(HTTPMessageVerifier):
    # Time is checked by check_time on the instance's clock and window; not here.
    def validate_created_and_expires(self, sig_input, max_age=None) -> None:
        return None


def verify(request, params: Rfc9421Input, public_key_pem: str, window: ClockWindow) -> None:
    try:
        key = load_public_key(public_key_pem)
    except UnusableKey as exc:
        raise SignatureError(str(exc)) from None
    message = _Message(request.method.upper(), request.url, _Headers(request.headers))
    failure: Exception | None = None
    for algorithm in _algorithms_for(key, params.alg):
        verifier = _Verifier(
            signature_algorithm=algorithm, key_resolver=_Resolver(params.key_id, key)
        )
        try:
            verifier.verify(message, max_age=None)
            return
        except (InvalidSignature, HTTPMessageSignaturesException) as exc:
            failure = exc
    raise SignatureError(f"RFC 9421 signature does not verify: {failure}")
