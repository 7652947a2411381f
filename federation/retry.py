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


@dataclass(frozen=True)
class RetrySettings:
    """The three keys a queue's config section has for its retries (deliveries, inbound
    activities); each section adds its own keys and may change the defaults."""

    retry_base_seconds: float = 30.0
    retry_max_delay_seconds: float = 8 * 3600.0
    max_attempts: int = 16

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_seconds, self.retry_max_delay_seconds, self.max_attempts)
