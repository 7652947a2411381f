"""The delivery worker: signs and POSTs queued activities, retries with backoff, and stops
trying a domain for a while after repeated failure. State lives in the `deliveries` rows, so a
restart (or a `kill -9`) resumes where it stopped."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from federation import storage
from federation.clock import Clock
from federation.digest import digest_header
from federation.http_client import BlockedDomain, FetchError, GuardedClient
from federation.settings import DeliverySettings
from federation.signatures.cavage import sign_headers

log = logging.getLogger(__name__)

# Answers that will not change by retrying: the peer refuses this activity for good.
PERMANENT_FAILURES = frozenset({400, 403, 404, 405, 410, 413, 422})


def is_retryable(status: int) -> bool:
    return status not in PERMANENT_FAILURES and not (200 <= status < 300)


class DeliveryWorker:
    def __init__(
        self, client: GuardedClient, clock: Clock, settings: DeliverySettings, user_agent: str
    ) -> None:
        self._client = client
        self._clock = clock
        self._settings = settings
        self._sending: dict[asyncio.Task, storage.Delivery] = {}  # sends on their way
        # Told when a send ends, so the worker's loop refills the slot at once.
        self.on_done: Callable[[], None] = lambda: None
        self._user_agent = user_agent

    async def unavailable_domains(self) -> list[str]:
        return await storage.unavailable_domains(self._clock.now())

    async def fill(self) -> int:
        """Start a send in every free slot and return how many started, without waiting for
        them: a slot is refilled as soon as its send ends (`on_done` says when), so one slow
        peer holds up only its own slots. Rows are claimed only for free slots (a claimed
        row waiting in a local queue could outlive its lease), never for a domain that is
        unavailable or already has per_domain_concurrency sends on their way."""
        free = self._settings.concurrency - len(self._sending)
        if free <= 0:
            return 0
        per_domain = Counter(row.domain for row in self._sending.values())
        full = [d for d, n in per_domain.items() if n >= self._settings.per_domain_concurrency]
        rows = await storage.claim_deliveries(
            self._clock.now(),
            self._settings.lease_seconds,
            free,
            [*await self.unavailable_domains(), *full],
        )
        started = 0
        for row in rows:
            if per_domain[row.domain] >= self._settings.per_domain_concurrency:
                await storage.release_delivery(row)  # its domain filled up in this batch
                continue
            per_domain[row.domain] += 1
            task = asyncio.create_task(self._attempt(row))
            self._sending[task] = row
            task.add_done_callback(self._sent)
            started += 1
        return started

    def _sent(self, task: asyncio.Task) -> None:
        self._sending.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("a delivery failed unexpectedly", exc_info=task.exception())
        self.on_done()

    @property
    def sending(self) -> int:
        return len(self._sending)

    async def drain(self) -> None:
        """Wait for the sends on their way."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def stop(self, grace_seconds: float = 2.0) -> None:
        """A stopping worker: sends that end within `grace_seconds` are recorded; the rest
        are cut off and their rows given back, to be sent again at once by whichever worker
        runs next (the peer may get one of them twice, as after a kill -9; it dedupes by
        the activity's id). Waiting them out could take twice the client's timeout."""
        if not self._sending:
            return
        _, late = await asyncio.wait(list(self._sending), timeout=grace_seconds)
        rows = [self._sending[task] for task in late]
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        for row in rows:
            await storage.release_delivery(row)

    async def run_once(self) -> int:
        """Fill the slots and wait for those sends; returns how many were attempted (the
        CLI and the tests send in rounds; the worker's loop uses fill)."""
        started = await self.fill()
        await self.drain()
        return started

    async def deliver_now(self, delivery_id: int) -> storage.Delivery | None:
        """Try one delivery immediately (the CLI's follow uses this); None if leased elsewhere."""
        row = await storage.claim_delivery(
            delivery_id, self._clock.now(), self._settings.lease_seconds
        )
        if row:
            await self._attempt(row)
            await row.refresh_from_db()
        return row

    async def _attempt(self, row: storage.Delivery) -> None:
        activity = row.activity
        actor = activity.actor
        body = json.dumps(activity.body, separators=(",", ":")).encode()
        status: int | None = None
        error: str | None = None
        permanent = False
        try:
            headers = sign_headers(
                method="POST",
                url=row.inbox,
                headers={
                    "content-type": "application/activity+json",
                    "digest": digest_header(body),
                },
                key_id=actor.key_id,
                private_key_pem=actor.private_key_pem or "",
                now=self._clock.now(),
            )
            response = await self._client.request(
                "POST", row.inbox, headers=headers, content=body, max_bytes=64_000
            )
            status = response.status
            if not 200 <= status < 300:
                error = f"HTTP {status}: {response.body[:200].decode(errors='replace')}"
        except BlockedDomain as exc:
            error, permanent = str(exc), True
        except FetchError as exc:
            error = str(exc)
        await self._record(row, status, error, permanent=permanent)

    async def _record(
        self,
        row: storage.Delivery,
        status: int | None,
        error: str | None,
        *,
        permanent: bool = False,
    ) -> None:
        """Write the outcome (the attempt was counted when the row was claimed)."""
        now = self._clock.now()
        values: dict = {"last_status": status, "last_error": error}
        if error is None:
            values.update(state="done", finished_at=now)
        elif (
            permanent
            or (status is not None and not is_retryable(status))
            or self._settings.retry.exhausted(row.attempts)
        ):
            values.update(state="dead", finished_at=now)
            log.warning("giving up delivery %s to %s: %s", row.id, row.inbox, error)
        else:
            values["next_attempt_at"] = now + self._settings.retry.delay(row.attempts)
        if not await storage.finish_delivery(row, **values):
            log.info("delivery %s was taken over by another worker; its outcome stands", row.id)
            return
        if error is None:
            await storage.domain_recovered(row.domain)
        elif values.get("state") != "dead":
            await storage.domain_failed(
                row.domain,
                error,
                threshold=self._settings.domain_failure_threshold,
                until=now + timedelta(seconds=self._settings.domain_unavailable_seconds),
            )
