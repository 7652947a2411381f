"""The one guarded HTTP client every outbound request goes through (design invariant 4).

The address check happens where the socket is opened: the host is resolved once, every
address is vetted, and the connection goes to a vetted address, so DNS rebinding between a
check and the connect cannot slip a private address through. Redirects are followed by hand so
that each hop is checked again, and bodies are read with a hard size cap.
"""

from __future__ import annotations

import asyncio
import socket
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpcore
import httpx

from activitypub.values import host_of
from federation.addresses import is_public_address

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """An outbound request that could not be made or answered acceptably. `transient`: the
    peer did not answer (timeout, connection refused or cut) and may well answer later."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class BlockedAddress(FetchError):
    """The target resolves to an address the config does not allow (private, loopback...)."""


class ResponseTooLarge(FetchError):
    pass


class BlockedDomain(FetchError):
    """The admin blocked this server: we neither fetch from it nor send to it."""


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend, allow_private: bool) -> None:
        self._inner = inner
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
            )
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = [info[4][0] for info in infos]
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        if not self._allow_private:
            blocked = [a for a in addresses if not is_public_address(a)]
            if blocked:
                raise BlockedAddress(f"{host} resolves to a non-public address ({blocked[0]})")
        return await self._inner.connect_tcp(
            addresses[0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("unix sockets are not reachable from federation")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@dataclass(frozen=True)
class Response:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class GuardedClient:
    def __init__(
        self,
        *,
        allow_private: bool,
        user_agent: str,
        timeout: float = 10.0,
        max_bytes: int = 2_000_000,
        max_redirects: int = 3,
        blocked: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """`blocked(host)` is asked before every hop, redirects included."""
        transport = httpx.AsyncHTTPTransport(retries=0)
        # httpx exposes no hook at connect time; the pool's backend is where sockets open.
        pool = transport._pool
        pool._network_backend = _GuardedBackend(pool._network_backend, allow_private)
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._blocked = blocked

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        follow_redirects: bool = False,
        sign: Any = None,
        into: Sink | None = None,
    ) -> Response:
        """Send one request; `sign(request)` is called on every hop so signatures match it.
        With `into`, the final answer's body goes there as it arrives (a file, for images of
        up to tens of megabytes) and the Response's own body is empty."""
        limit = max_bytes or self._max_bytes
        try:
            async with asyncio.timeout(self._timeout * 2):
                for _ in range(self._max_redirects + 1):
                    sink = into if into is not None else MemorySink()
                    response = await self._send(method, url, headers, content, limit, sign, sink)
                    if not (follow_redirects and response.status in REDIRECT_CODES):
                        return response
                    location = response.headers.get("location")
                    if not location:
                        return response
                    url = str(httpx.URL(url).join(location))
                raise FetchError(f"more than {self._max_redirects} redirects")
        except httpx.InvalidURL as exc:
            raise FetchError(f"refusing to fetch {url!r}: {exc}") from None
        except TimeoutError:
            raise FetchError(
                f"{url} did not answer within {self._timeout * 2:.0f}s", transient=True
            ) from None

    async def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        content: bytes | None,
        limit: int,
        sign: Any,
        sink: Sink,
    ) -> Response:
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError(f"refusing to fetch {url!r}: only http(s) URLs")
        if parsed.userinfo:
            raise FetchError("refusing URL with credentials in it")
        host = host_of(url)
        if self._blocked is not None and await self._blocked(host):
            raise BlockedDomain(f"{host} is blocked by this server's admin")
        request = self._client.build_request(method, url, headers=headers, content=content)
        if sign is not None:
            sign(request)
        try:
            response = await self._client.send(request, stream=True)
        except BlockedAddress:
            raise
        except httpx.HTTPError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, BlockedAddress):
                raise cause from None
            raise FetchError(
                f"{method} {url} failed: {str(exc) or type(exc).__name__}", transient=True
            ) from None
        try:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise ResponseTooLarge(f"{url} is {declared} bytes, over the {limit} limit")
            decode = _Decoder(response.headers.get("content-encoding", ""), limit, url)
            sink.start()
            size = 0
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(f"{url} is larger than the {limit} byte limit")
                sink.write(decode(chunk))
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{method} {url} failed while reading: {exc}", transient=True
            ) from None
        finally:
            await response.aclose()
        body = sink.body if isinstance(sink, MemorySink) else b""
        return Response(response.status_code, response.headers, body, str(response.url))


class Sink(Protocol):
    """Where a response's (decoded) body goes, chunk by chunk."""

    def start(self) -> None:
        """A response begins: forget what an earlier hop (a redirect) wrote."""

    def write(self, chunk: bytes) -> None: ...


class MemorySink:
    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def start(self) -> None:
        self._chunks = []

    def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)


class _Decoder:
    """Decompress as the body arrives, with the same cap: a small gzip bomb must not become
    a large body, and no more than the cap is ever inflated at once."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        encoding = encoding.strip().lower()
        self._limit = limit
        self._url = url
        self._out = 0
        if encoding in ("", "identity"):
            self._inflate = None
        elif encoding in ("gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
            self._inflate = zlib.decompressobj(wbits)
        else:
            raise FetchError(f"{url} used unsupported content-encoding {encoding!r}")

    def __call__(self, chunk: bytes) -> bytes:
        if self._inflate is None:
            return chunk
        # Never 0 here (that would mean "no limit"): the sum passed the cap and raised first.
        out = self._inflate.decompress(chunk, self._limit + 1 - self._out)
        self._out += len(out)
        if self._out > self._limit or self._inflate.unconsumed_tail:
            raise ResponseTooLarge(f"{self._url} decompresses to more than {self._limit} bytes")
        return out
