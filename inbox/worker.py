"""Running stored inbound activities through their handlers, from the database queue.

Rows are claimed 32 at a time in one UPDATE; different senders' rows run side by side, each
sender's in the order they came, and the successes are marked done in one UPDATE. Rows not
started when half their lease has gone are handed back (a handler may take a while fetching
images, and a claimed row must not wait behind others past its lease). A handler that fails
for a reason that may pass (a peer down, the database busy) is retried with backoff; after the
last attempt, or for a reason that will not pass, the row is marked failed with its error, for
an admin to read.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from tortoise.exceptions import OperationalError

from activitypub.activity import parse_activity
from activitypub.errors import InvalidObject
from federation.http_client import FetchError
from federation.resolver import ResolveError
from inbox import storage
from inbox.context import InboxContext
from inbox.handlers import HANDLERS
from inbox.settings import InboundSettings

log = logging.getLogger(__name__)
# Rows claimed at once. Claiming one at a time cost three queries and a commit per activity,
# about a quarter of the worker's time on a backlog.
CLAIM = 32
# Senders handled side by side within a claim.
LANES = 8
TRANSIENT = (ResolveError, FetchError, OperationalError)


class InboundWorker:
    def __init__(self, ctx: InboxContext, settings: InboundSettings) -> None:
        self._ctx = ctx
        self._settings = settings

    async def run_once(self, batch: int = 64) -> int:
        """Handle up to `batch` due activities, claimed `CLAIM` at a time (one commit each
        time). Claimed rows wait their turn under a lease: once half of it has gone, the rows
        not started are handed back rather than risk outliving it."""
        done = 0
        while done < batch:
            rows = await storage.claim_inbound(
                self._ctx.clock.now(), self._settings.lease_seconds, min(CLAIM, batch - done)
            )
            if not rows:
                break
            handled = await self._run_claim(rows)
            done += handled
            if handled < len(rows):  # some were handed back: the lease ran short
                break
        return done

    async def _run_claim(self, rows: list[storage.InboundActivity]) -> int:
        """One sender's activities in the order they came; different senders' side by side.
        Alone, the worker spent most of its time waiting for the database one query at a
        time; lanes overlap those waits (and a peer slow to serve an image holds up only its
        own lane). The order of one actor's activities (a Follow, then its Undo) is kept."""
        deadline = rows[0].lease_until - timedelta(seconds=self._settings.lease_seconds / 2)
        succeeded: list[storage.InboundActivity] = []
        started = 0
        lanes: dict[str, list[storage.InboundActivity]] = {}
        for row in rows:
            lanes.setdefault(row.actor_uri, []).append(row)
        gate = asyncio.Semaphore(LANES)

        async def lane(queue: list[storage.InboundActivity]) -> None:
            nonlocal started
            async with gate:
                for index, row in enumerate(queue):
                    if started and self._ctx.clock.now() >= deadline:
                        for waiting in queue[index:]:
                            await storage.release_inbound(waiting)
                        return
                    started += 1
                    outcome = await self._process(row)
                    if outcome is None:
                        succeeded.append(row)
                    elif not await storage.finish_inbound(row, **outcome):
                        log.info("inbound %s was taken over by another worker", row.uri)

        await asyncio.gather(*(lane(queue) for queue in lanes.values()))
        if succeeded:
            # One UPDATE for the batch's successes: they share the claim's lease.
            kept = await storage.finish_inbound_all(
                succeeded, state="done", error=None, processed_at=self._ctx.clock.now()
            )
            if kept < len(succeeded):
                log.info("%d inbound rows were taken over by another worker", len(succeeded) - kept)
        return started

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
