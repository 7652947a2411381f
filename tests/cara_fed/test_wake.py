"""The datagram that wakes a worker in another process: it reaches every worker of the
instance (each holds a slot of its own), one with no free slot falls back to polling, and
sending with no one listening is harmless."""

from __future__ import annotations

import asyncio
import sys

import pytest

from cara_fed.wake import WakeListener, WakeSender, channel_addresses

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="abstract sockets exist only on Linux"
)


async def test_a_send_wakes_every_worker(tmp_path):
    listeners = [WakeListener(channel_addresses(tmp_path)) for _ in range(2)]
    woken = [asyncio.Event(), asyncio.Event()]
    for listener, event in zip(listeners, woken, strict=True):
        listener.attach(event.set)
    sender = WakeSender(channel_addresses(tmp_path, 2))
    try:
        assert all(listener.listening for listener in listeners)
        for _ in range(3):  # several sends before the loops read: no error
            sender.send()
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in woken)), 5)
    finally:
        sender.close()
        for listener in listeners:
            listener.close()


async def test_with_every_slot_taken_a_worker_polls_and_no_listener_is_harmless(tmp_path):
    first = WakeListener(channel_addresses(tmp_path, 1))
    second = WakeListener(channel_addresses(tmp_path, 1))
    try:
        assert first.listening and not second.listening
    finally:
        first.close()
        second.close()
    WakeSender(channel_addresses(tmp_path / "elsewhere")).send()  # nobody there: no exception


def test_each_data_directory_has_its_own_channel(tmp_path):
    assert set(channel_addresses(tmp_path / "a")).isdisjoint(channel_addresses(tmp_path / "b"))
    assert channel_addresses(tmp_path / "a") == channel_addresses(tmp_path / "x" / ".." / "a")
