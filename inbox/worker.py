"""Running stored inbound activities through their handlers, from the database queue.

A handler that fails (a peer down while we fetch an actor or an image) is retried with backoff;
after the last attempt the row is marked failed with its error, for an admin to read.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from activitypub.activity import parse_activity
from activitypub.errors import InvalidObject
from cara_fed.config import DeliverySection
from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import claim_due, claim_one, retry_delay
from federation.http_client import FetchError
from federation.resolver import ResolveError
from inbox.context import InboxContext
from inbox.handlers import HANDLERS

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


class InboundWorker:
    def __init__(self, ctx: InboxContext, settings: DeliverySection) -> None:
        self._ctx = ctx
        self._settings = settings

    async def run_once(self, batch: int = 32) -> int:
        rows = await claim_due(
            InboundActivity,
            now=self._ctx.clock.now(),
            lease_seconds=self._settings.lease_seconds,
            limit=batch,
        )
        for row in rows:
            await self._process(row)
        return len(rows)

    async def process_now(self, row_id: int) -> None:
        row = await claim_one(
            InboundActivity,
            row_id,
            now=self._ctx.clock.now(),
            lease_seconds=self._settings.lease_seconds,
        )
        if row:
            await self._process(row)

    async def _process(self, row: InboundActivity) -> None:
        row.attempts += 1
        row.lease_until = None
        try:
            activity = parse_activity(row.body)
            await HANDLERS[activity.type](activity, self._ctx)
        except (ResolveError, FetchError) as exc:
            row.error = str(exc)
            if row.attempts >= MAX_ATTEMPTS:
                row.state = "failed"
            else:
                delay = retry_delay(
                    row.attempts,
                    self._settings.retry_base_seconds,
                    self._settings.retry_max_delay_seconds,
                )
                row.next_attempt_at = self._ctx.clock.now() + timedelta(seconds=delay)
            log.warning("inbound %s failed (attempt %d): %s", row.uri, row.attempts, exc)
        except (InvalidObject, KeyError) as exc:
            row.state = "failed"
            row.error = f"cannot process: {exc}"
        except Exception as exc:  # a bug must not stop the worker; the row says what happened
            log.exception("handler for %s crashed", row.uri)
            row.state = "failed"
            row.error = f"{type(exc).__name__}: {exc}"
        else:
            row.state = "done"
            row.error = None
            row.processed_at = self._ctx.clock.now()
        await row.save()
