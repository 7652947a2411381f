"""Which personal inboxes exist, remembered for a few seconds per web process.

Why: every POST to /users/NAME/inbox asked the database whether NAME is an approved local
account, and under a stream of addressed Creates that query (tortoise building it, then a
turn on the one SQLite connection behind the writes) was a tenth of the web process's time
(py-spy, bench/ingest.py --addressed). Only a "yes" is remembered: an account approved (or
created) is reachable at once, and one deleted or suspended stops being one within
REMEMBER_SECONDS; what was accepted meanwhile is handled against the account as it is then.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cara_fed.store.models import Actor

REMEMBER_SECONDS = 5.0
# More names than this and the memory starts again: a bound on what random names can't grow
# (they are never remembered anyway; only existing accounts are).
MAX_REMEMBERED = 10_000


class InboxOwners:
    def __init__(
        self,
        remember_seconds: float = REMEMBER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._remember = remember_seconds
        self._clock = clock
        self._seen: dict[str, float] = {}

    async def exists(self, username: str) -> bool:
        """An approved local account named `username`, whose inbox takes deliveries."""
        now = self._clock()
        seen = self._seen.get(username)
        if seen is not None and now - seen < self._remember:
            return True
        found = await Actor.exists(
            local=True, username=username, actor_type="Person", approved=True, deleted_at=None
        )
        if not found:
            self._seen.pop(username, None)
            return False
        if len(self._seen) >= MAX_REMEMBERED:
            self._seen.clear()
        self._seen[username] = now
        return True
