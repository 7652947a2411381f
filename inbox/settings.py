"""What the inbound worker is told by the instance's config ([inbound])."""

from __future__ import annotations

from dataclasses import dataclass

from federation.retry import RetryPolicy


@dataclass(frozen=True)
class InboundSettings:
    """Received activities the worker could not handle yet (a peer down, the database busy):
    the same schedule as deliveries, with fewer tries."""

    retry_base_seconds: float = 30.0
    retry_max_delay_seconds: float = 8 * 3600.0
    max_attempts: int = 8
    lease_seconds: float = 60.0

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_seconds, self.retry_max_delay_seconds, self.max_attempts)
