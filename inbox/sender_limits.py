"""Limits per sender, beside backpressure: one actor or one server may not fill the inbound
queue, nor post to the inbox without end. Backpressure (inbox/backpressure.py) protects the
instance from everyone at once; these keep one peer from taking everyone else's share. Over a
limit the inbox answers 429 with Retry-After and stores nothing; Mastodon and GoToSocial
retry a 429 with their backoff.

Two kinds of limit, each per actor and per domain (the actor's host):
- **Queued jobs**: activities stored and not yet handled (due or waiting for a retry). The
  counts come from the database, grouped by actor, at most every `every` seconds, plus what
  this process stored since; so every web process sees the others' rows within that bound.
- **POST rate**: a token bucket per actor and per domain, in this process's memory. With N
  web processes behind one port a sender may get up to N times the rate: the bound is on
  the work one process takes in, which is what it protects.

The actor is the one the body names: checked before the signature, so refusing costs no key
fetch. A forger naming someone else only gets its own request refused; the counts grow only
with stored, verified activities.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from activitypub.values import host_of
from inbox.backpressure import Clock

log = logging.getLogger(__name__)
# Activities stored and not yet handled, by actor.
QueuedSampler = Callable[[datetime], Awaitable[dict[str, int]]]


@dataclass(frozen=True)
class LimitSettings:
    queued_per_actor: int = 300
    queued_per_domain: int = 3000
    # POSTs per second, sustained, and the burst allowed above it; 0 turns a rate off.
    actor_rate: float = 50.0
    actor_burst: int = 1000
    domain_rate: float = 2000.0
    domain_burst: int = 20000


@dataclass(frozen=True)
class OverLimit:
    retry_after: int
    message: str


class _Bucket:
    __slots__ = ("at", "tokens")

    def __init__(self, tokens: float, at: float) -> None:
        self.tokens = tokens
        self.at = at


class TokenBuckets:
    """One bucket per key, refilled at `rate` per second up to `burst`. Buckets that are full
    again are forgotten, so the map holds only senders active lately."""

    def __init__(self, rate: float, burst: int, monotonic: Callable[[], float]) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._now = monotonic
        self._buckets: dict[str, _Bucket] = {}
        self._swept = monotonic()

    @property
    def enabled(self) -> bool:
        return self._rate > 0

    def wait(self, key: str) -> float:
        """Seconds until `key` may post again; 0 when it may now (and then it is counted)."""
        if not self.enabled:
            return 0.0
        now = self._now()
        self._sweep(now)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._rate

    def _sweep(self, now: float) -> None:
        if now - self._swept < 60:
            return
        self._swept = now
        refill = self._burst / self._rate
        for key in [k for k, b in self._buckets.items() if now - b.at >= refill]:
            del self._buckets[key]


class SenderLimits:
    def __init__(
        self,
        sample: QueuedSampler,
        clock: Clock,
        settings: LimitSettings,
        *,
        every: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sample = sample
        self._clock = clock
        self._settings = settings
        self._every = every
        self._sampled_at: datetime | None = None
        self._sampling = False
        self._by_actor: Counter[str] = Counter()
        self._by_domain: Counter[str] = Counter()
        self._actor_posts = TokenBuckets(settings.actor_rate, settings.actor_burst, monotonic)
        self._domain_posts = TokenBuckets(settings.domain_rate, settings.domain_burst, monotonic)

    async def check(self, actor_uri: str) -> OverLimit | None:
        """None to go on with this POST; else why not, and when to try again."""
        domain = host_of(actor_uri)
        over = await self._queued(actor_uri, domain)
        if over is not None:
            return over
        rates = (
            (self._actor_posts, actor_uri, self._settings.actor_rate),
            (self._domain_posts, domain, self._settings.domain_rate),
        )
        for buckets, sender, rate in rates:
            wait = buckets.wait(sender)
            if wait:
                return OverLimit(
                    math.ceil(wait), f"{sender} is sending faster than {rate:g} activities a second"
                )
        return None

    def stored(self, actor_uri: str) -> None:
        """An activity of `actor_uri` was queued: counted until the next sample says better."""
        self._by_actor[actor_uri] += 1
        self._by_domain[host_of(actor_uri)] += 1

    async def _queued(self, actor_uri: str, domain: str) -> OverLimit | None:
        per_actor, per_domain = self._settings.queued_per_actor, self._settings.queued_per_domain
        if per_actor <= 0 and per_domain <= 0:
            return None
        await self._refresh()
        if per_actor > 0 and self._by_actor[actor_uri] >= per_actor:
            return OverLimit(
                self._retry_after(self._by_actor[actor_uri], per_actor),
                f"{self._by_actor[actor_uri]} activities from {actor_uri} are waiting to be "
                f"handled (at most {per_actor})",
            )
        if per_domain > 0 and self._by_domain[domain] >= per_domain:
            return OverLimit(
                self._retry_after(self._by_domain[domain], per_domain),
                f"{self._by_domain[domain]} activities from {domain} are waiting to be handled "
                f"(at most {per_domain})",
            )
        return None

    @staticmethod
    def _retry_after(queued: int, limit: int) -> int:
        """Long enough for part of the queue to go: more the further over it is, 5 to 300 s."""
        return min(300, max(5, math.ceil(30 * queued / limit)))

    async def _refresh(self) -> None:
        now = self._clock.now()
        due = self._sampled_at is None or (now - self._sampled_at).total_seconds() >= self._every
        if not due or self._sampling:  # one request samples; the others use the last counts
            return
        self._sampling = True
        self._sampled_at = now  # failing or not, not again before `every` has passed
        try:
            by_actor = await self._sample(now)
        except Exception:  # the database busy or failing: decide on the last counts
            log.warning("could not count the queued activities per sender", exc_info=True)
            return
        finally:
            self._sampling = False
        self._by_actor = Counter(by_actor)
        by_domain: Counter[str] = Counter()
        for actor, count in by_actor.items():
            by_domain[host_of(actor)] += count
        self._by_domain = by_domain
