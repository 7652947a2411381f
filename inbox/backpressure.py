"""Backpressure: while the stored backlog is more than a bound's worth of the worker's work, the
inbox answers 503 with Retry-After instead of 202, so peers slow down and send again later
(Mastodon's delivery worker retries a 503 with its backoff; GoToSocial's HTTP client retries
it after the Retry-After it is given), rather than the backlog, and the wait before a post
reaches a timeline, growing without end.

The backlog is measured in seconds of work: the due rows waiting, divided by how fast the
workers have been handling them lately (never taken as less than `min_rate`, so a worker
just back from idle does not look infinitely slow). Refusing starts above the bound and stops
once the backlog is under half of it, so it does not flap at the edge. The database is asked
at most every `every` seconds; requests in between use the last answer.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


log = logging.getLogger(__name__)
# (due rows not yet handled, the newest row's id) at a moment.
Sampler = Callable[[datetime], Awaitable[tuple[int, int]]]


@dataclass(frozen=True)
class Reading:
    pending: int
    handled_per_second: float
    backlog_seconds: float
    refusing: bool
    retry_after: int


class Backpressure:
    def __init__(
        self,
        sample: Sampler,
        clock: Clock,
        *,
        bound_seconds: float,
        min_rate: float,
        every: float = 1.0,
        window: float = 10.0,
    ) -> None:
        self._sample = sample
        self._clock = clock
        self._bound = bound_seconds
        self._min_rate = min_rate
        self._every = every
        self._window = window
        self._history: deque[tuple[datetime, int, int]] = deque()  # (when, pending, newest)
        self._sampling = False
        self.reading = Reading(0, 0.0, 0.0, False, 0)

    @property
    def enabled(self) -> bool:
        return self._bound > 0

    async def retry_after(self) -> int | None:
        """None to accept this activity; else refuse it, asking for a retry in this many
        seconds."""
        if not self.enabled:
            return None
        now = self._clock.now()
        last = self._history[-1][0] if self._history else None
        due = last is None or (now - last).total_seconds() >= self._every
        if due and not self._sampling:  # one request samples; the others use the last answer
            self._sampling = True
            try:
                pending, newest = await self._sample(now)
            except Exception:  # the database busy or failing: decide on the last answer
                log.warning("could not measure the inbound backlog", exc_info=True)
            else:
                self._record(now, pending, newest)
            finally:
                self._sampling = False
        return self.reading.retry_after if self.reading.refusing else None

    def _record(self, now: datetime, pending: int, newest: int) -> None:
        self._history.append((now, pending, newest))
        while len(self._history) > 2 and (now - self._history[0][0]).total_seconds() > self._window:
            self._history.popleft()
        rate = self._handled_rate()
        seconds = pending / max(rate, self._min_rate)
        if self.reading.refusing:
            refusing = seconds > self._bound / 2
        else:
            refusing = seconds > self._bound
        retry = max(1, math.ceil(seconds - self._bound / 2)) if refusing else 0
        self.reading = Reading(pending, round(rate, 1), round(seconds, 1), refusing, retry)

    def _handled_rate(self) -> float:
        """Rows handled per second over the window: rows added (newest id's rise) minus the
        rise of the backlog."""
        if len(self._history) < 2:
            return 0.0
        (t0, pending0, newest0), (t1, pending1, newest1) = self._history[0], self._history[-1]
        elapsed = (t1 - t0).total_seconds()
        if elapsed <= 0:
            return 0.0
        handled = (newest1 - newest0) - (pending1 - pending0)
        return max(0.0, handled / elapsed)
