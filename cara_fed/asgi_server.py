"""The HTTP server under the Quart apps: uvicorn with httptools' C parser, on a socket we bind.

Why uvicorn and not hypercorn (Quart's default): ingest is bound by the web process's CPU,
and a profile (py-spy, bench/ingest.py) put about a quarter of it in hypercorn's pure-Python
HTTP/1.1 stack (h11); with uvicorn and httptools (and the inbox cache of
cara_fed/store/inbox_owners.py) the same instance accepted 1.76-2.45x the addressed Creates/s
(bench/RESULTS.md, "Ingest: uvicorn"). We use neither HTTP/2 nor websockets, which were
hypercorn's advantages.

Why the app's start-up runs here and not through ASGI lifespan: an error there (a database
that needs `cara-fed migrate`, a bucket that is public) must reach the CLI as the exception
it is, so the admin reads one sentence, not a server's log of a failed lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from quart import Quart

from cara_fed.errors import UserError

BACKLOG = 1024


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound and listening; inheritable, so `serve --workers N` can hand it to its children.
    A port that cannot be had (taken, not ours) is a UserError saying so."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """The caller's stop event ends the server; uvicorn's own handlers would re-raise the
        signal after shutdown and kill the process before the CLI returns."""
        yield


async def serve(app: Quart, sock: socket.socket, stop: asyncio.Event, graceful: int = 5) -> None:
    """Run `app` on `sock` until `stop` is set: start-up, requests, then `graceful` seconds
    for requests in flight, then the app's shutdown."""
    config = uvicorn.Config(
        app,
        http="httptools",
        lifespan="off",
        log_config=None,  # our logging (cara_fed/logs.py), not uvicorn's
        access_log=False,
        server_header=False,
        # X-Forwarded-* from loopback would otherwise rewrite the client and scheme; the
        # app's own URL comes from its config
        proxy_headers=False,
        timeout_graceful_shutdown=graceful,
        backlog=BACKLOG,
    )
    server = _Server(config)
    await app.startup()
    try:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        server.should_exit = True
        await serving
    finally:
        await app.shutdown()
