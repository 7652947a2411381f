"""Post and interaction ids: time-ordered 64-bit integers (milliseconds << 16 | random), like
Mastodon's snowflakes, so ids sort by time without a central counter shared by the CLI and
server. Local posts take the moment they are made; remote ones the moment they say they were
published; favourites and boosts the moment they are recorded. The client API's timelines
mix posts and boosts, ordered and paged by id, so they read in time order."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from federation.clock import Clock


def post_id_at(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) << 16) | secrets.randbits(16)


def new_post_id(clock: Clock) -> int:
    return post_id_at(clock.now())


# Interactions recorded before their ids were time-ordered have small counter ids, which say
# nothing of when: timelines leave them out rather than place them at the dawn of time.
FIRST_TIME_ORDERED = post_id_at(datetime(2020, 1, 1, tzinfo=UTC)) & ~0xFFFF
