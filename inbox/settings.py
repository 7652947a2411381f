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
    # Activities handled at once (each sender's in the order they came). A slot is refilled
    # as soon as it frees, so a post whose images are slow to come holds only its own.
    concurrency: int = 8
    # Of those, at most this many for one domain's senders: a server sending slow posts
    # from many accounts still leaves slots for everyone else.
    per_domain_concurrency: int = 6
