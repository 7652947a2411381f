"""The background worker loop: inbound jobs first (they may queue Accepts), then deliveries,
each run by a pool of slots the loop refills as they end (inbox/worker.py,
federation/delivery.py), so that neither waits for the other nor for its own slowest. It
sleeps until woken by new work in this process or a send that ended, or until the poll
interval passes, which is how it notices rows written by the CLI in another process."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cara_fed.services import exports, hash_lists, imports, mail, throttle
from cara_fed.store.inbound_pruning import prune_handled

if TYPE_CHECKING:
    from cara_fed.instance import Instance

log = logging.getLogger(__name__)


PRUNE_EVERY = timedelta(hours=1)
# On a wake that may not concern deliveries, the delivery pool looks at most this often.
DELIVERY_LOOK_SECONDS = 0.05


async def run_worker(instance: Instance, stop: asyncio.Event) -> None:
    # Beside the loop, not in it: a slow list server must not hold up inbound work.
    syncing = asyncio.create_task(hash_lists.sync_loop(instance, stop))
    # Imports from the web likewise: screening a back catalogue takes minutes.
    importing = asyncio.create_task(imports.work_loop(instance, stop))
    exporting = asyncio.create_task(exports.work_loop(instance, stop))
    # And mail (password resets): a slow mail server must hold up nothing else.
    mailing = (
        asyncio.create_task(mail.work_loop(instance.config, instance.clock, stop))
        if instance.config.email.configured
        else None
    )
    try:
        await _loop(instance, stop)
    finally:
        syncing.cancel()
        importing.cancel()
        exporting.cancel()
        if mailing is not None:
            mailing.cancel()
        # What is about to end is recorded; the rest goes back to the queue at once, rather
        # than hold the stop for up to twice the client's timeout.
        await instance.inbound.stop()
        await instance.delivery.stop()


async def _loop(instance: Instance, stop: asyncio.Event) -> None:
    """Each pool is filled when it may have something to take: new work of any kind
    (`instance.wake`, or the poll interval), or a slot of its own that freed, or it took
    something last time (there may be more). A sender's activities ending do not make the
    delivery pool query the database, nor a send ending the inbound pool: that cost a third
    more CPU per activity on a backlog (bench/drain.py). The web process wakes the worker for
    every activity it stores; on such wakes the delivery pool looks at most every
    DELIVERY_LOOK_SECONDS (its claims were a tenth of the worker's time under the soak)."""
    interval = instance.config.delivery.poll_interval_seconds
    inbound_freed, delivery_freed = asyncio.Event(), asyncio.Event()
    instance.inbound.on_done = inbound_freed.set
    instance.delivery.on_done = delivery_freed.set
    next_prune = instance.clock.now()
    inbound_due = delivery_due = urgent = True
    delivery_looked = 0.0
    while not stop.is_set():
        woken = instance.wake.is_set()
        urgent = urgent or delivery_freed.is_set()
        inbound_due = inbound_due or woken or inbound_freed.is_set()
        delivery_due = delivery_due or woken or urgent
        for event in (instance.wake, inbound_freed, delivery_freed):
            event.clear()
        # A wake alone, just after a look: the next look comes soon enough.
        deferred = (
            delivery_due
            and not urgent
            and time.monotonic() - delivery_looked < DELIVERY_LOOK_SECONDS
        )
        try:
            took_inbound = await instance.inbound.fill() if inbound_due else 0
            took_deliveries = 0
            if delivery_due and not deferred:
                delivery_looked = time.monotonic()
                took_deliveries = await instance.delivery.fill()
            next_prune = await prune_when_due(instance, next_prune)
        except Exception:  # the loop must survive anything one batch throws
            log.exception("worker batch failed")
            took_inbound = took_deliveries = 0
        inbound_due, delivery_due = took_inbound > 0, deferred
        urgent = took_deliveries > 0
        if not (took_inbound or took_deliveries):
            wait = DELIVERY_LOOK_SECONDS if deferred else interval
            events = (instance.wake, inbound_freed, delivery_freed)
            if not await wait_for_work(events, stop, wait):
                # The time passed: the deferred look, or rows another process wrote and
                # retries that came due.
                inbound_due = delivery_due = urgent = True


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


async def wait_for_work(
    events: tuple[asyncio.Event, ...], stop: asyncio.Event, interval: float
) -> bool:
    """Until one of `events` is set, stopped, or `interval` seconds have passed (rows written
    by another process wake no one: they are found by polling); False when the time ran
    out."""
    waiters = [asyncio.ensure_future(event.wait()) for event in (*events, stop)]
    try:
        done, _ = await asyncio.wait(waiters, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    return bool(done)
