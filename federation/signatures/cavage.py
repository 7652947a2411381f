"""draft-cavage-http-signatures-12, as Mastodon, GoToSocial and Misskey use it.

We sign `(request-target) host date digest content-type` on POST and `(request-target) host
date accept` on GET with rsa-sha256. We verify rsa-sha256 and hs2019 (RSA PKCS#1 v1.5 with
SHA-256, as every fediverse server means it, or Ed25519 keys), check the clock window ourselves
(bovine does not) and keep the query string in `(request-target)` (bovine drops it).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from federation.keys import UnusableKey, load_private_key, load_public_key
from federation.signatures.errors import SignatureError

_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([0-9]+))\s*(?:,|$)')
MAX_HEADER_LENGTH = 8192
SUPPORTED_ALGORITHMS = frozenset({"rsa-sha256", "hs2019"})


@dataclass(frozen=True)
class CavageSignature:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes
    created: int | None = None
    expires: int | None = None


def parse_signature_header(value: str) -> CavageSignature:
    """Parse `keyId="…",algorithm="…",headers="…",signature="…"` strictly."""
    if len(value) > MAX_HEADER_LENGTH:
        raise SignatureError("Signature header is too long")
    params: dict[str, str] = {}
    position = 0
    while position < len(value):
        match = _PARAM.match(value, position)
        if not match or match.end() == position:
            raise SignatureError("Signature header is malformed")
        name = match.group(1)
        if name in params:
            raise SignatureError(f"Signature header repeats {name}")
        params[name] = match.group(2) if match.group(2) is not None else match.group(3)
        position = match.end()
    for required in ("keyId", "signature"):
        if not params.get(required):
            raise SignatureError(f"Signature header has no {required}")
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise SignatureError(f"unsupported signature algorithm {algorithm!r} (use rsa-sha256)")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError:
        raise SignatureError("signature is not valid base64") from None
    headers = tuple(h.lower() for h in params.get("headers", "date").split())

    def number(name: str) -> int | None:
        raw = params.get(name)
        if raw is None:
            return None
        if not raw.isdigit():
            raise SignatureError(f"({name}) must be a Unix timestamp")
        return int(raw)

    return CavageSignature(
        key_id=params["keyId"],
        algorithm=algorithm,
        headers=headers,
        signature=signature,
        created=number("created"),
        expires=number("expires"),
    )


def signing_string(sig: CavageSignature, method: str, target: str, headers: dict[str, str]) -> str:
    """The string that was signed (draft-cavage-12 §2.3: one `name: value` line per signed
    header, joined by newlines); `headers` keys must be lower-case. Written out rather than
    built with bovine's HttpSignature, which does the same join: importing bovine costs every
    `cara-fed` command 0.4 s."""
    lines = []
    for name in sig.headers:
        if name == "(request-target)":
            value = f"{method.lower()} {target}"
        elif name == "(created)":
            if sig.created is None:
                raise SignatureError("(created) is signed but has no value")
            value = str(sig.created)
        elif name == "(expires)":
            if sig.expires is None:
                raise SignatureError("(expires) is signed but has no value")
            value = str(sig.expires)
        else:
            if name not in headers:
                raise SignatureError(f"signed header {name!r} is not in the request")
            value = headers[name].strip()
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _from_timestamp(value: int, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise SignatureError(f"{what} is not a usable timestamp") from None


@dataclass(frozen=True)
class ClockWindow:
    now: datetime
    max_age_seconds: int
    max_skew_seconds: int

    def check_created_expires(self, created: int | None, expires: int | None) -> None:
        if created is not None:
            self.check(_from_timestamp(created, "created"), "created")
        if expires is not None and _from_timestamp(expires, "expires") < self.now:
            raise SignatureError("signature has expired")

    def check(self, moment: datetime, what: str) -> None:
        delta = (self.now - moment).total_seconds()
        if delta > self.max_age_seconds:
            raise SignatureError(
                f"{what} is too old ({int(delta)}s; limit {self.max_age_seconds}s)"
            )
        if -delta > self.max_skew_seconds:
            raise SignatureError(f"{what} is in the future ({int(-delta)}s ahead)")


def check_covered(
    sig: CavageSignature, method: str, headers: dict[str, str], has_body: bool
) -> None:
    """A signature must bind the target, the host, a time, and on POST the body's digest."""
    covered = set(sig.headers)
    if "(request-target)" not in covered:
        raise SignatureError("signature must cover (request-target)")
    if "host" not in covered:
        raise SignatureError("signature must cover host")
    if "date" not in covered and "(created)" not in covered:
        raise SignatureError("signature must cover date or (created)")
    if has_body or method.upper() == "POST":
        if "digest" not in covered:
            raise SignatureError("signature on a request with a body must cover digest")


def check_time(sig: CavageSignature, headers: dict[str, str], window: ClockWindow) -> None:
    if "date" in sig.headers:
        if "date" not in headers:
            raise SignatureError("date is signed but the request has no Date header")
        try:
            date = parsedate_to_datetime(headers["date"])
        except (TypeError, ValueError, IndexError):
            raise SignatureError("Date header is not an HTTP date") from None
        if date.tzinfo is None:
            date = date.replace(tzinfo=UTC)
        window.check(date, "Date")
    window.check_created_expires(sig.created, sig.expires)


def verify_signature_bytes(sig: CavageSignature, message: str, public_key_pem: str) -> None:
    try:
        key = load_public_key(public_key_pem)
    except UnusableKey as exc:
        raise SignatureError(f"the actor's key cannot be used: {exc}") from None
    data = message.encode()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            try:
                key.verify(sig.signature, data, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                if sig.algorithm != "hs2019":
                    raise
                # hs2019 per the draft means RSASSA-PSS with SHA-512; accept that too.
                key.verify(
                    sig.signature,
                    data,
                    padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64),
                    hashes.SHA512(),
                )
        elif isinstance(key, ed25519.Ed25519PublicKey):
            if sig.algorithm != "hs2019":
                raise SignatureError("an Ed25519 key needs algorithm hs2019")
            key.verify(sig.signature, data)
        else:
            raise SignatureError("draft-cavage signatures need an RSA or Ed25519 key")
    except InvalidSignature:
        raise SignatureError("signature does not verify with the actor's key") from None


def request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def sign_headers(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    key_id: str,
    private_key_pem: str,
    now: datetime,
    signed: tuple[str, ...] | None = None,
) -> dict[str, str]:
    """Return `headers` plus Host, Date and a Signature over `signed` (lower-case names)."""
    parts = urlsplit(url)
    out = {k.lower(): v for k, v in headers.items()}
    out["host"] = parts.netloc
    out["date"] = format_datetime(now.astimezone(UTC), usegmt=True)
    if signed is None:
        signed = ("(request-target)", "host", "date")
        if "digest" in out:
            signed += ("digest",)
        if "content-type" in out:
            signed += ("content-type",)
        elif "accept" in out:
            signed += ("accept",)
    sig = CavageSignature(key_id=key_id, algorithm="rsa-sha256", headers=signed, signature=b"")
    message = signing_string(sig, method, request_target(url), out)
    key = load_private_key(private_key_pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignatureError("draft-cavage signing needs an RSA key")
    value = base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256()))
    out["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(signed)}",'
        f'signature="{value.decode()}"'
    )
    return out
