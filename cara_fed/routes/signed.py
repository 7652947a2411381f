"""Reading signed requests in routes: the bounded body, the request as the verifier sees it,
and the authorized-fetch gate for ActivityStreams reads."""

from __future__ import annotations

from urllib.parse import urlsplit

from quart import Response, request

from activitypub.values import host_of
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error
from federation.signatures.errors import SignatureError
from federation.signatures.verify import IncomingRequest, KeyHolder, verify_request


class BodyTooLarge(Exception):
    pass


async def read_body(limit: int) -> bytes:
    """The request body, refusing (before reading it all) anything over `limit` bytes."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.body:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class WrongHost(Exception):
    """The request names another server in its Host header: a signature made for that server
    must not be replayable to us."""


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _same_host(host: str, base: str) -> bool:
    parts = urlsplit(base)
    candidate = host.strip().lower()
    default = _DEFAULT_PORTS.get(parts.scheme)
    if default and candidate.endswith(f":{default}"):
        candidate = candidate[: -len(default) - 1]
    return candidate == parts.netloc.lower()


def incoming(body: bytes) -> IncomingRequest:
    """The request as a verifier must see it: addressed to our own public URL. A Host header
    naming anything else is refused (behind a proxy, pass the public Host through)."""
    instance = current_instance()
    host = request.headers.get("Host", "")
    if not _same_host(host, instance.urls.base):
        raise WrongHost(f"this server is {instance.urls.domain}, not {host or 'unnamed'}")
    # The path as sent on the wire: request.path is percent-decoded, and signatures cover the
    # encoded form.
    raw_path = request.scope.get("raw_path") or request.path.encode()
    path = raw_path.decode("latin-1").split("?", 1)[0]
    query = request.query_string.decode("latin-1")
    url = f"{instance.urls.base}{path}" + (f"?{query}" if query else "")
    headers = [(k.lower(), v) for k, v in request.headers.items()]
    return IncomingRequest(method=request.method, url=url, headers=headers, body=body)


class _BlockedSigner(Exception):
    pass


async def signed_fetch_gate() -> tuple[Response | None, KeyHolder | None]:
    """With authorized fetch on, an ActivityStreams read must be signed by a key we can
    verify; returns (error response, None) or (None, the signer or None when not required).
    A read signed by a blocked server is refused whether or not signatures are required."""
    instance = current_instance()
    if not instance.config.federation.authorized_fetch and "signature" not in request.headers:
        return None, None

    async def lookup(key_id: str, refresh: bool) -> KeyHolder:
        if await instance.inbox_context.blocks.blocks(key_id):
            raise _BlockedSigner(host_of(key_id))
        return await instance.resolver.key_holder(key_id, refresh)

    try:
        holder = await verify_request(incoming(b""), lookup, instance.signature_window())
    except _BlockedSigner as blocked:
        return error(403, f"{blocked} is blocked by this server"), None
    except (SignatureError, WrongHost) as exc:
        if instance.config.federation.authorized_fetch:
            return error(401, f"this server requires signed fetches: {exc}"), None
        return None, None
    return None, holder
