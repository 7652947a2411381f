"""Waking the worker when another process queued work for it.

The worker runs in its own process (`cara-fed serve` starts it; `cara-fed worker` runs one by
hand), so the web server's inbox and the CLI cannot set its asyncio events. Each sends a
datagram to a Unix socket in Linux's abstract namespace, named after the data directory, and
the worker wakes at once instead of at its next poll. Nothing depends on it: a lost datagram,
a full socket buffer, no worker listening or a system without abstract sockets only means the
work is found by polling, as before.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


MAX_SLOTS = 16  # as many as [server] worker_processes allows


def channel_addresses(data_dir: Path, slots: int = MAX_SLOTS) -> list[bytes]:
    """The abstract sockets of the instance whose data live in `data_dir`, one per worker
    (each worker holds the first free one), or none where abstract sockets do not exist
    (only Linux has them)."""
    if not sys.platform.startswith("linux"):
        return []
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:32]
    return [f"\0cara-fed-wake-{digest}-{slot}".encode() for slot in range(slots)]


class WakeSender:
    """Fire and forget to every worker's slot: never blocks, never raises."""

    def __init__(self, addresses: list[bytes]) -> None:
        self._addresses = addresses
        self._socket: socket.socket | None = None
        if addresses:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._socket.setblocking(False)

    def send(self) -> None:
        if self._socket is None:
            return
        for address in self._addresses:
            try:
                self._socket.sendto(b"w", address)
            except OSError:  # no worker there, or its buffer is full (then it is awake)
                pass

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class WakeListener:
    """The worker's end: it holds the first free slot. With every slot taken (or none on
    this system), the worker polls."""

    def __init__(self, addresses: list[bytes]) -> None:
        self._socket: socket.socket | None = None
        for address in addresses:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                sock.bind(address)
            except OSError:
                sock.close()
                continue
            sock.setblocking(False)
            self._socket = sock
            return
        if addresses:
            log.info("every wake-up slot is taken by other workers; this one polls")

    @property
    def listening(self) -> bool:
        return self._socket is not None

    def attach(self, on_wake: Callable[[], None]) -> None:
        """Call `on_wake` from the running loop whenever datagrams arrive."""
        sock = self._socket
        if sock is None:
            return

        def readable() -> None:
            try:
                while sock.recv(64):
                    pass
            except BlockingIOError:
                pass
            on_wake()

        asyncio.get_running_loop().add_reader(sock.fileno(), readable)

    def close(self) -> None:
        if self._socket is not None:
            try:
                asyncio.get_running_loop().remove_reader(self._socket.fileno())
            except RuntimeError:
                pass
            self._socket.close()
            self._socket = None
