"""A small HTTP/1.1 server (asyncio and h11) for fake peers: one handler served on many loopback
addresses at one port, so that each address is a distinct host to the server under test.

All of 127.0.0.0/8 is loopback on Linux, so 127.0.1.1, 127.0.1.2, ... need no configuration.
Why not a ThreadingHTTPServer per fake instance: at 500 instances that is 500 listening
threads plus one per connection; this is one event loop with one socket per address, in the
benchmark's own process, so the handler can record what it receives without locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import h11

PER_SUBNET = 250  # 127.0.N.1 ... 127.0.N.250: no .0 or .255 host parts, to avoid surprises


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the path and query as sent
    host: str  # the Host header
    headers: list[tuple[str, str]]  # names lower-case
    body: bytes
    received: float  # time.monotonic() when the whole request had arrived

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


Handler = Callable[[Request], Awaitable[Response]]


def loopback_addresses(count: int, first_subnet: int = 1) -> list[str]:
    return [f"127.0.{first_subnet + i // PER_SUBNET}.{1 + i % PER_SUBNET}" for i in range(count)]


def bind_all(addresses: list[str], attempts: int = 20) -> tuple[int, list[socket.socket]]:
    """Listening sockets on every address at one port (a free one on all of them)."""
    for _ in range(attempts):
        sockets: list[socket.socket] = []
        try:
            for address in addresses:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(s)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, sockets[0].getsockname()[1] if len(sockets) > 1 else 0))
                s.listen(1024)
                s.setblocking(False)
            return sockets[0].getsockname()[1], sockets
        except OSError:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no port free on all of {len(addresses)} loopback addresses")


class LoopbackServer:
    def __init__(self, handler: Handler, addresses: list[str], max_body: int = 2_000_000) -> None:
        self._handler = handler
        self.addresses = addresses
        self.port = 0
        self._max_body = max_body
        self._servers: list[asyncio.Server] = []
        self._connections: dict[asyncio.StreamWriter, asyncio.Task] = {}

    async def start(self) -> None:
        self.port, sockets = bind_all(self.addresses)
        for s in sockets:
            self._servers.append(await asyncio.start_server(self._connection, sock=s))

    async def close(self) -> None:
        """Stop listening and end the open (keep-alive) connections."""
        for server in self._servers:
            server.close()
        tasks = list(self._connections.values())
        for writer in list(self._connections):
            writer.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[writer] = task
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                request = await self._read(conn, reader)
                if request is None:
                    return
                response = await self._handler(request)
                headers = [
                    ("content-type", response.content_type),
                    ("content-length", str(len(response.body))),
                ]
                writer.write(conn.send(h11.Response(status_code=response.status, headers=headers)))
                writer.write(conn.send(h11.Data(data=response.body)))
                writer.write(conn.send(h11.EndOfMessage()))
                await writer.drain()
                if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                    return
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError, asyncio.IncompleteReadError):
            return
        finally:
            self._connections.pop(writer, None)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _read(self, conn: h11.Connection, reader: asyncio.StreamReader) -> Request | None:
        head: h11.Request | None = None
        chunks: list[bytes] = []
        size = 0
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await reader.read(65536))
            elif isinstance(event, h11.Request):
                head = event
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if size > self._max_body:
                    return None
                chunks.append(event.data)
            elif isinstance(event, h11.EndOfMessage) and head is not None:
                headers = [(k.decode().lower(), v.decode("latin-1")) for k, v in head.headers]
                return Request(
                    method=head.method.decode(),
                    target=head.target.decode("latin-1"),
                    host=next((v for k, v in headers if k == "host"), ""),
                    headers=headers,
                    body=b"".join(chunks),
                    received=time.monotonic(),
                )
            else:  # ConnectionClosed, PAUSED
                return None
