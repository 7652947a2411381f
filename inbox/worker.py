"""Running stored inbound activities through their handlers, from the database queue.

A continuous pool, like the delivery worker's: rows are claimed several at a time (one UPDATE)
into lanes, one per sender, each running its sender's rows in the order they came; up to
`concurrency` lanes run at once, at most `per_domain_concurrency` of them for one domain, and
a lane that ends frees its slot for the next at once (`on_done` wakes the worker's loop). So
a post whose images are slow to come holds its own lane, not the Follow from another server
behind it, nor the deliveries the same loop sends. Successes are marked done together, one
UPDATE for many. Rows still waiting when half their lease has gone are handed back rather
than risk outliving it. A handler that fails for a reason that may pass (a peer down, the
database busy) is retried with backoff; after the last attempt, or for a reason that will not
pass, the row is marked failed with its error, for an admin to read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tortoise.exceptions import OperationalError

from activitypub.activity import parse_activity
from activitypub.errors import InvalidObject
from activitypub.values import host_of
from federation.http_client import FetchError
from federation.resolver import ResolveError
from inbox import storage
from inbox.context import InboxContext
from inbox.handlers import HANDLERS
from inbox.settings import InboundSettings

log = logging.getLogger(__name__)
# Rows held at once (claimed, running or waiting for their lane). Claiming one at a time cost
# three queries and a commit per activity, about a quarter of the worker's time on a backlog;
# so rows are claimed once half of these are gone, and successes marked done in batches.
CLAIM = 32
# Successes wait at most about this long to be marked done together (the worker's loop looks
# at least every poll interval).
FLUSH_AFTER_SECONDS = 0.25
# After a claim that skipped full domains found less than it asked for.
SKIP_QUIET_SECONDS = 1.0
TRANSIENT = (ResolveError, FetchError, OperationalError)
Row = storage.InboundActivity


class InboundWorker:
    def __init__(self, ctx: InboxContext, settings: InboundSettings) -> None:
        self._ctx = ctx
        self._settings = settings
        self._waiting: dict[str, deque[Row]] = {}  # sender -> rows not started, in order
        self._running: dict[str, asyncio.Task] = {}  # sender -> its lane
        self._succeeded: list[Row] = []
        self._started = 0
        self._handed_back = 0
        self._skip_quiet_until = 0.0
        self._first_success_at = 0.0
        # Told when a lane ends, so the worker's loop starts the next and claims more.
        self.on_done: Callable[[], None] = lambda: None

    async def fill(self) -> int:
        """Mark what succeeded done, start every lane that may start, and claim more rows when
        half the claim has gone; returns how many rows were claimed or started, without
        waiting for any handler."""
        await self._flush(force=not self._running)
        started = self._start_lanes()
        room = CLAIM - self._held_startable()
        if room < CLAIM // 2 and self._running:
            return started
        skip = self._full_domains()
        if skip and time.monotonic() < self._skip_quiet_until:
            return started
        rows = await storage.claim_inbound(
            self._ctx.clock.now(), self._settings.lease_seconds, room, skip
        )
        if skip and len(rows) < room:
            # Little is due beside the full domains' rows, which that claim had to read past
            # (a scan of the backlog): not again for a moment. Those domains' own rows are
            # claimed once a lane of theirs ends.
            self._skip_quiet_until = time.monotonic() + SKIP_QUIET_SECONDS
        for row in rows:
            self._waiting.setdefault(row.actor_uri, deque()).append(row)
        return started + len(rows) + self._start_lanes()

    async def run_once(self, batch: int = 64) -> int:
        """Claim and handle due rows until `batch` have been started or none is due, and wait
        for them (the tests and the CLI work in rounds; the worker's loop uses fill)."""
        before, handed_back = self._started, self._handed_back
        while self._started - before < batch:
            if not await self.fill() and not self._running:
                break
            await self.drain_running()
            if self._handed_back > handed_back:  # the lease ran short: a round ends there
                break
        await self._flush(force=True)
        return self._started - before

    async def drain_running(self) -> None:
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)
            self._start_lanes()

    async def stop(self, grace_seconds: float = 2.0) -> None:
        """A stopping worker: handlers that end within `grace_seconds` are recorded; the rest
        are cut off, and their rows, with those not started, given back to be handled again
        at once by whichever worker runs next (as after a kill -9; handlers are idempotent)."""
        lanes = list(self._running.values())
        if lanes:
            _, late = await asyncio.wait(lanes, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        for queue in self._waiting.values():
            for row in queue:
                await storage.release_inbound(row)
        self._waiting.clear()
        await self._flush(force=True)

    def _held_startable(self) -> int:
        """Rows held that are running or may start now: not those of a full domain's senders
        waiting for a lane."""
        full = set(self._full_domains())
        return sum(
            len(q)
            for sender, q in self._waiting.items()
            if sender in self._running or host_of(sender) not in full
        )

    def _full_domains(self) -> list[str]:
        """Domains with per_domain_concurrency lanes running: their rows are not claimed."""
        cap = self._settings.per_domain_concurrency
        return [domain for domain, n in self._lanes_per_domain().items() if n >= cap]

    def _lanes_per_domain(self) -> Counter[str]:
        return Counter(host_of(sender) for sender in self._running)

    def _start_lanes(self) -> int:
        """Start a lane for each sender with rows waiting, while slots (and its domain's
        share of them) are free; the oldest waiting first."""
        started = 0
        lanes, cap = self._lanes_per_domain(), self._settings.per_domain_concurrency
        for sender in list(self._waiting):
            if len(self._running) >= self._settings.concurrency:
                break
            if sender in self._running or lanes[host_of(sender)] >= cap:
                continue
            task = asyncio.create_task(self._lane(sender))
            self._running[sender] = task
            task.add_done_callback(lambda _t, s=sender: self._lane_ended(s))
            started += 1
            lanes[host_of(sender)] += 1
        return started

    def _lane_ended(self, sender: str) -> None:
        task = self._running.pop(sender, None)
        if task is not None and not task.cancelled() and task.exception() is not None:
            log.error("an inbound lane failed unexpectedly", exc_info=task.exception())
        self.on_done()

    async def _lane(self, sender: str) -> None:
        """This sender's rows, in order, including any claimed while it runs."""
        half = timedelta(seconds=self._settings.lease_seconds / 2)
        queue = self._waiting[sender]
        # The keeper renews the running row's lease and the lane records outcomes under the
        # same lock, so an outcome is never written against a lease being replaced.
        lock = asyncio.Lock()
        keeper = asyncio.create_task(self._keep_lease(queue, lock))
        try:
            while queue:
                row = queue[0]
                if self._ctx.clock.now() >= row.lease_until - half:
                    # Waited too long for its turn: hand it and those after it back.
                    async with lock:
                        while queue:
                            self._handed_back += 1
                            await storage.release_inbound(queue.popleft())
                    break
                self._started += 1
                try:
                    outcome = await self._process(row)
                except asyncio.CancelledError:
                    async with lock:
                        await asyncio.shield(storage.release_inbound(queue.popleft()))
                    raise
                async with lock:
                    queue.popleft()
                    if outcome is None:
                        if not self._succeeded:
                            self._first_success_at = time.monotonic()
                        self._succeeded.append(row)
                    elif not await storage.finish_inbound(row, **outcome):
                        log.info("inbound %s was taken over by another worker", row.uri)
        finally:
            keeper.cancel()
        if not self._waiting.get(sender):
            self._waiting.pop(sender, None)

    async def _keep_lease(self, queue: deque[Row], lock: asyncio.Lock) -> None:
        """A handler may outlast the lease (a post's images may take up to the media budget
        to come): every third of the lease, the running row's is extended, so that no other
        worker takes it over and handles it a second time meanwhile."""
        every = self._settings.lease_seconds / 3
        while True:
            await asyncio.sleep(every)
            async with lock:
                if queue:
                    until = self._ctx.clock.now() + timedelta(seconds=self._settings.lease_seconds)
                    if not await storage.renew_inbound(queue[0], until):
                        log.warning("lost the lease of inbound %s", queue[0].uri)

    async def _flush(self, *, force: bool) -> None:
        """Mark the successes done in one UPDATE (they may share a lease): when there are
        enough of them, when nothing runs, when the oldest has waited FLUSH_AFTER_SECONDS (a
        lane that runs long must not keep the others' rows looking unhandled), or before
        half of its lease has gone. One UPDATE per row cost a fifth more CPU per activity
        on a backlog (bench/drain.py)."""
        if not self._succeeded:
            return
        half = timedelta(seconds=self._settings.lease_seconds / 2)
        due = (
            force
            or len(self._succeeded) >= CLAIM // 2
            or time.monotonic() - self._first_success_at >= FLUSH_AFTER_SECONDS
            or self._ctx.clock.now() >= self._succeeded[0].lease_until - half
        )
        if not due:
            return
        rows, self._succeeded = self._succeeded, []
        kept = await storage.finish_inbound_all(
            rows, state="done", error=None, processed_at=self._ctx.clock.now()
        )
        if kept < len(rows):
            log.info("%d inbound rows were taken over by another worker", len(rows) - kept)

    async def _process(self, row: storage.InboundActivity) -> dict[str, Any] | None:
        """Run the row's handler; None when it succeeded, else the row's new values."""
        now = self._ctx.clock.now
        if await self._ctx.blocks.blocks(row.actor_uri):  # stored before its server was blocked
            return {"state": "failed", "error": "its server is blocked"}
        try:
            activity = parse_activity(row.body)
            await HANDLERS[activity.type](activity, self._ctx)
        except TRANSIENT as exc:
            log.warning("inbound %s failed (attempt %d): %s", row.uri, row.attempts, exc)
            if self._settings.retry.exhausted(row.attempts):
                return {"state": "failed", "error": str(exc)}
            return {
                "error": str(exc),
                "next_attempt_at": now() + self._settings.retry.delay(row.attempts),
            }
        except (InvalidObject, KeyError) as exc:
            return {"state": "failed", "error": f"cannot process: {exc}"}
        except Exception as exc:  # a bug must not stop the worker; the row says what happened
            log.exception("handler for %s crashed", row.uri)
            return {"state": "failed", "error": f"{type(exc).__name__}: {exc}"}
        return None
