"""Post ids: time-ordered 64-bit integers (milliseconds << 16 | random), like Mastodon's
snowflakes, so ids sort by time without a central counter shared by the CLI and server.
Local posts take the moment they are made; remote ones the moment they say they were
published, so that the client API's timelines, ordered and paged by id, read in time order."""

from __future__ import annotations

import secrets
from datetime import datetime

from federation.clock import Clock


def post_id_at(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) << 16) | secrets.randbits(16)


def new_post_id(clock: Clock) -> int:
    return post_id_at(clock.now())
