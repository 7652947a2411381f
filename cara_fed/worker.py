"""The background worker loop: inbound jobs first (they may queue Accepts), then deliveries,
which are sent by a pool of slots the loop refills as sends end (federation/delivery.py). It
sleeps until woken by new work in this process or a send that ended, or until the poll
interval passes, which is how it notices rows written by the CLI in another process."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from cara_fed.instance import Instance
from cara_fed.services import hash_lists, throttle
from cara_fed.store.inbound_pruning import prune_handled

log = logging.getLogger(__name__)


PRUNE_EVERY = timedelta(hours=1)


async def run_worker(instance: Instance, stop: asyncio.Event) -> None:
    # Beside the loop, not in it: a slow list server must not hold up inbound work.
    syncing = asyncio.create_task(hash_lists.sync_loop(instance, stop))
    # A send that ends frees a slot: wake the loop to fill it.
    instance.delivery.on_done = instance.wake.set
    try:
        await _loop(instance, stop)
    finally:
        syncing.cancel()
        # Sends about to end are recorded; the rest go back to the queue at once, rather
        # than hold the stop for up to twice the client's timeout.
        await instance.delivery.stop()


async def _loop(instance: Instance, stop: asyncio.Event) -> None:
    interval = instance.config.delivery.poll_interval_seconds
    next_prune = instance.clock.now()
    while not stop.is_set():
        instance.wake.clear()
        try:
            busy = await instance.inbound.run_once()
            busy += await instance.delivery.fill()
            next_prune = await prune_when_due(instance, next_prune)
        except Exception:  # the loop must survive anything one batch throws
            log.exception("worker batch failed")
            busy = 0
        if not busy:
            await wait_for_work(instance.wake, stop, interval)


async def prune_when_due(instance: Instance, due: datetime) -> datetime:
    """Forget long-handled inbound activities and expired rate-limit attempts once an hour;
    returns when to do it next."""
    now = instance.clock.now()
    if now < due:
        return due
    await throttle.prune(now)
    keep = instance.config.federation.keep_inbound_days
    deleted = await prune_handled(now, keep) if keep > 0 else 0
    if deleted:
        log.info("forgot %d inbound activities handled over %g days ago", deleted, keep)
    return now + PRUNE_EVERY


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
