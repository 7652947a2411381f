"""Login rate limiting: a sliding window of failed attempts per key (the client's address,
and the account name), so that guessing is slow from one place and against one account."""

from __future__ import annotations

import math
from collections import deque


class Throttle:
    def __init__(self, attempts: int = 5, window_seconds: float = 900.0) -> None:
        self._attempts = attempts
        self._window = window_seconds
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, keys: list[str], now: float) -> int:
        """Seconds until another attempt is allowed for all `keys`; 0 means now."""
        wait = 0.0
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) >= self._attempts:
                wait = max(wait, failures[0] + self._window - now)
        return math.ceil(wait)

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            self._recent(key, now).append(now)
        if len(self._failures) > 100_000:  # bounded memory under a spray of names
            self._failures.clear()

    # Sign-ups count every attempt, made or not: the limit is on accounts per address.
    record = failed

    def succeeded(self, keys: list[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures
