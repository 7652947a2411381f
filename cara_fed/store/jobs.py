"""Long jobs a worker takes one at a time (imports, exports): claiming one, queued or left by
a runner that stopped, and the loop that runs them beside a worker's main loop.

A job holds a lease while it runs and renews it as it goes; a runner killed mid-job leaves a
lease that runs out, and the next worker takes the job up again. The claim is one UPDATE
naming the state and lease it saw, so of several workers claiming at once one gets it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model

J = TypeVar("J", bound=Model)
log = logging.getLogger(__name__)


async def claim_job(model: type[J], now: datetime, lease: timedelta, **filters: Any) -> J | None:
    stopped = Q(state="running") & (Q(lease_until__lt=now) | Q(lease_until__isnull=True))
    waiting = model.filter(Q(state="queued") | stopped).filter(**filters)
    for job in await waiting.order_by("id").limit(5):
        if await model.filter(id=job.pk, state=job.state, lease_until=job.lease_until).update(
            state="running", lease_until=now + lease
        ):
            return await model.get(id=job.pk)
    return None


async def run_jobs(
    claim: Callable[[], Awaitable[J | None]],
    run: Callable[[J], Awaitable[Any]],
    stop: asyncio.Event,
    *,
    what: str,
    interval: float = 2.0,
) -> None:
    """Run what `claim` hands out, one at a time, until stopped; a job's failure is logged
    and the loop goes on."""
    while not stop.is_set():
        try:
            job = await claim()
            if job is not None:
                await run(job)
                continue
        except Exception:  # one job's failure must not end the worker
            log.exception("%s failed", what)
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            pass
