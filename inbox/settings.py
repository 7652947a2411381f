"""What the inbound worker is told by the instance's config ([inbound])."""

from __future__ import annotations

from dataclasses import dataclass

from federation.retry import RetrySettings


@dataclass(frozen=True)
class InboundSettings(RetrySettings):
    """Received activities the worker could not handle yet (a peer down, the database busy):
    the same schedule as deliveries, with fewer tries."""

    max_attempts: int = 8
    lease_seconds: float = 60.0
