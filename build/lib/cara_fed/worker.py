"""The background worker loop: inbound jobs first (they may queue Accepts), then deliveries.
It sleeps until woken by new work in this process or until the poll interval passes, which is
how it notices rows written by the CLI in another process."""

from __future__ import annotations

import asyncio
import logging

from cara_fed.instance import Instance

log = logging.getLogger(__name__)


async def run_worker(instance: Instance, stop: asyncio.Event) -> None:
    interval = instance.config.delivery.poll_interval_seconds
    while not stop.is_set():
        instance.wake.clear()
        try:
            busy = await instance.inbound.run_once()
            busy += await instance.delivery.run_once()
        except Exception:  # the loop must survive anything one batch throws
            log.exception("worker batch failed")
            busy = 0
        if not busy:
            await wait_for_work(instance.wake, stop, interval)


async def wait_for_work(wake: asyncio.Event, stop: asyncio.Event, interval: float) -> None:
    """Until woken, stopped, or `interval` seconds have passed (rows written by another
    process wake no one: they are found by polling)."""
    waiter = asyncio.ensure_future(wake.wait())
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({waiter, stopper}, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        stopper.cancel()
