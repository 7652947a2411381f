"""How a durable queue retries, one policy for each (deliveries, inbound activities, cloak
jobs), each read from its own config section: after the n-th failed attempt the next waits
base·2^(n-1) seconds, at most the cap, and after max_attempts there is no next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float
    cap_seconds: float
    max_attempts: int

    def exhausted(self, attempts: int) -> bool:
        """No retry after this many attempts (attempts count from 1, the first try)."""
        return attempts >= self.max_attempts

    def delay(self, attempt: int) -> timedelta:
        """The wait after the `attempt`-th failed attempt."""
        return timedelta(
            seconds=min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempt - 1))
        )
