"""What the delivery worker is told by the instance's config ([delivery])."""

from __future__ import annotations

from dataclasses import dataclass

from federation.retry import RetrySettings


@dataclass(frozen=True)
class DeliverySettings(RetrySettings):
    # After the n-th failed attempt the next waits retry_base_seconds * 2**(n-1), capped at
    # retry_max_delay_seconds, until max_attempts (16); with the defaults the last try is about
    # two days after the first.
    lease_seconds: float = 60.0
    concurrency: int = 8
    # Sends to one domain at once, of `concurrency`: a slow server holds at most this many
    # slots, and the rest keep going to everyone else.
    per_domain_concurrency: int = 2
    domain_failure_threshold: int = 5
    domain_unavailable_seconds: float = 3600.0
    poll_interval_seconds: float = 1.0
