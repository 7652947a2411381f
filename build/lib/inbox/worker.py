"""Running stored inbound activities through their handlers, from the database queue.

Rows are claimed a few at a time, and those not started when half their lease has gone are
handed back (a handler may take a while fetching images, and a claimed row must not wait
behind others past its lease). A handler that fails for a reason that may pass
(a peer down, the database busy) is retried with backoff; after the last attempt, or for a
reason that will not pass, the row is marked failed with its error, for an admin to read.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from tortoise.exceptions import OperationalError

from activitypub.activity import parse_activity
from activitypub.errors import InvalidObject
from cara_fed.config import DeliverySection
from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import claim_due, finish, release, retry_delay
from federation.http_client import FetchError
from federation.resolver import ResolveError
from inbox.context import InboxContext
from inbox.handlers import HANDLERS

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Rows claimed at once. Claiming one at a time cost three queries and a commit per activity,
# about a quarter of the worker's time on a backlog.
CLAIM = 16
TRANSIENT = (ResolveError, FetchError, OperationalError)


class InboundWorker:
    def __init__(self, ctx: InboxContext, settings: DeliverySection) -> None:
        self._ctx = ctx
        self._settings = settings

    async def run_once(self, batch: int = 32) -> int:
        """Handle up to `batch` due activities, claimed `CLAIM` at a time (one commit each
        time). Claimed rows wait their turn under a lease: once half of it has gone, the rows
        not started are handed back rather than risk outliving it."""
        done = 0
        while done < batch:
            rows = await claim_due(
                InboundActivity,
                now=self._ctx.clock.now(),
                lease_seconds=self._settings.lease_seconds,
                limit=min(CLAIM, batch - done),
            )
            if not rows:
                break
            deadline = rows[0].lease_until - timedelta(seconds=self._settings.lease_seconds / 2)
            for index, row in enumerate(rows):
                if index and self._ctx.clock.now() >= deadline:
                    for waiting in rows[index:]:
                        await release(InboundActivity, waiting)
                    return done
                await self._process(row)
                done += 1
        return done

    async def _process(self, row: InboundActivity) -> None:
        now = self._ctx.clock.now
        if await self._ctx.blocks.blocks(row.actor_uri):  # stored before its server was blocked
            await finish(InboundActivity, row, state="failed", error="its server is blocked")
            return
        try:
            activity = parse_activity(row.body)
            await HANDLERS[activity.type](activity, self._ctx)
        except TRANSIENT as exc:
            log.warning("inbound %s failed (attempt %d): %s", row.uri, row.attempts, exc)
            if row.attempts >= MAX_ATTEMPTS:
                outcome = {"state": "failed", "error": str(exc)}
            else:
                delay = retry_delay(
                    row.attempts,
                    self._settings.retry_base_seconds,
                    self._settings.retry_max_delay_seconds,
                )
                outcome = {"error": str(exc), "next_attempt_at": now() + timedelta(seconds=delay)}
        except (InvalidObject, KeyError) as exc:
            outcome = {"state": "failed", "error": f"cannot process: {exc}"}
        except Exception as exc:  # a bug must not stop the worker; the row says what happened
            log.exception("handler for %s crashed", row.uri)
            outcome = {"state": "failed", "error": f"{type(exc).__name__}: {exc}"}
        else:
            outcome = {"state": "done", "error": None, "processed_at": now()}
        if not await finish(InboundActivity, row, **outcome):
            log.info("inbound %s was taken over by another worker", row.uri)
