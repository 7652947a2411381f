"""Verifying a signed incoming request, whichever signature scheme it uses.

The key is looked up by its id (cached); if the signature fails with a cached key, the key is
fetched once more in case the actor rotated it, and only then is the request refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from federation.digest import DigestMismatch, check_content_digest, check_digest
from federation.signatures import cavage, rfc9421
from federation.signatures.errors import SignatureError


@dataclass(frozen=True)
class IncomingRequest:
    method: str
    url: str  # the full URL as this server is addressed, with the query string
    headers: list[tuple[str, str]]  # every field line, names lower-case
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k == name]
        return ", ".join(values) if values else None

    @property
    def header_map(self) -> dict[str, str]:
        merged: dict[str, list[str]] = {}
        for k, v in self.headers:
            merged.setdefault(k, []).append(v)
        return {k: ", ".join(v) for k, v in merged.items()}


@dataclass(frozen=True)
class KeyHolder:
    """Who a key belongs to, as the resolver established it."""

    key_id: str
    owner: str
    public_key_pem: str


KeyLookup = Callable[[str, bool], Awaitable[KeyHolder]]


def _check_body_digest(request: IncomingRequest, *, rfc9421_signed: bool) -> None:
    if not request.body and request.method.upper() != "POST":
        return
    digest = request.header("digest")
    content_digest = request.header("content-digest")
    try:
        if rfc9421_signed and content_digest is not None:
            check_content_digest(content_digest, request.body)
        elif digest is not None:
            check_digest(digest, request.body)
        elif content_digest is not None:
            check_content_digest(content_digest, request.body)
        else:
            raise SignatureError("request with a body has no Digest or Content-Digest header")
    except DigestMismatch as exc:
        raise SignatureError(str(exc)) from None


async def verify_request(
    request: IncomingRequest, lookup: KeyLookup, window: cavage.ClockWindow
) -> KeyHolder:
    """The holder of the key that signed `request`, or SignatureError saying why not."""
    if request.header("signature-input") is not None:
        params = rfc9421.parse_input(request)
        rfc9421.check_covered(params, request)
        rfc9421.check_time(params, window)
        _check_body_digest(request, rfc9421_signed=True)

        def attempt(holder: KeyHolder) -> None:
            rfc9421.verify(request, params, holder.public_key_pem, window)
    else:
        header = request.header("signature")
        if header is None:
            raise SignatureError("request is not signed (no Signature header)")
        sig = cavage.parse_signature_header(header)
        headers = request.header_map
        cavage.check_covered(sig, request.method, headers, bool(request.body))
        cavage.check_time(sig, headers, window)
        _check_body_digest(request, rfc9421_signed=False)
        target = cavage.request_target(request.url)
        messages = [cavage.signing_string(sig, request.method, target, headers)]
        if "?" in target:
            # Some signers (bovine among them) leave the query out of (request-target);
            # Mastodon accepts both spellings, and so do we.
            messages.append(
                cavage.signing_string(sig, request.method, target.split("?")[0], headers)
            )
        params = sig

        def attempt(holder: KeyHolder) -> None:
            for message in messages[:-1]:
                try:
                    cavage.verify_signature_bytes(sig, message, holder.public_key_pem)
                    return
                except SignatureError:
                    pass
            cavage.verify_signature_bytes(sig, messages[-1], holder.public_key_pem)

    holder = await lookup(params.key_id, False)
    try:
        attempt(holder)
    except SignatureError:
        holder = await lookup(params.key_id, True)
        attempt(holder)
    return holder
