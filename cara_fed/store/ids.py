"""Post and interaction ids: time-ordered 64-bit integers (milliseconds << 16 | random), like
Mastodon's snowflakes, so ids sort by time without a central counter shared by the CLI and
server. Local posts take the moment they are made; remote ones the moment they say they were
published; favourites and boosts the moment they are recorded. The client API's timelines
mix posts and boosts, ordered and paged by id, so they read in time order."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from cara_fed.store import raw_sql
from federation.clock import Clock


def post_id_at(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) << 16) | secrets.randbits(16)


async def free_id_at(model: Any, moment: datetime, tries: int = 8) -> int:
    """A time-ordered id at `moment` that no row of `model` has yet. Remote posts share their
    48 time bits whenever they were published in the same millisecond, and Mastodon's
    `published` has whole seconds: among a few hundred posts of one second the 16 random
    bits collide (a 3,000-post backlog had dozens of collisions, each an inbound retry a
    second later), so a taken id is drawn again. Two processes drawing the same free id at
    once still collide on insert; the activity is then retried, as any transient failure."""
    candidate = post_id_at(moment)
    for _ in range(tries - 1):
        if not await raw_sql.exists(model, "id = ?", [candidate]):
            break
        candidate = post_id_at(moment)
    return candidate


def new_post_id(clock: Clock) -> int:
    return post_id_at(clock.now())


# Interactions recorded before their ids were time-ordered have small counter ids, which say
# nothing of when: timelines leave them out rather than place them at the dawn of time.
FIRST_TIME_ORDERED = post_id_at(datetime(2020, 1, 1, tzinfo=UTC)) & ~0xFFFF
