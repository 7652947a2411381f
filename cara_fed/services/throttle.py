"""Rate limits: a sliding window of counted attempts per key (the client's address, the
account name, the member), so that guessing is slow from one place and against one account,
and an app cannot post without end.

The attempts are rows (cara_fed/store/models.RateEvent), not process memory: with several web
processes behind one port each request may reach another process, and a limit kept per
process would let a client through N times as often. One indexed query per check, one insert
per counted attempt; the limited endpoints (sign-in, sign-up, tokens, statuses, uploads) each
write a row of their own anyway."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from cara_fed.store.models import RateEvent

# The longest window of any throttle: rows older than this count for none and are pruned.
LONGEST_WINDOW = timedelta(hours=3)


class Throttle:
    def __init__(self, bucket: str, attempts: int = 5, window_seconds: float = 900.0) -> None:
        self.bucket = bucket
        self._attempts = attempts
        self._window = timedelta(seconds=window_seconds)

    async def retry_after(self, keys: list[str], now: datetime) -> int:
        """Seconds until another attempt is allowed for all `keys`; 0 means now."""
        wait = 0.0
        for key in keys:
            # The attempts-th newest attempt in the window: once it ages out, one more fits.
            oldest_counted = (
                await RateEvent.filter(bucket=self.bucket, key=key, at__gt=now - self._window)
                .order_by("-at")
                .offset(self._attempts - 1)
                .limit(1)
                .values_list("at", flat=True)
            )
            if oldest_counted:
                wait = max(wait, (oldest_counted[0] + self._window - now).total_seconds())
        return math.ceil(wait)

    async def failed(self, keys: list[str], now: datetime) -> None:
        await RateEvent.bulk_create(
            [RateEvent(bucket=self.bucket, key=key, at=now) for key in keys]
        )

    # Sign-ups count every attempt, made or not: the limit is on accounts per address.
    record = failed

    async def succeeded(self, keys: list[str]) -> None:
        await RateEvent.filter(bucket=self.bucket, key__in=keys).delete()


async def prune(now: datetime) -> int:
    """Forget attempts no window counts any more; returns how many."""
    return await RateEvent.filter(at__lt=now - LONGEST_WINDOW).delete()
