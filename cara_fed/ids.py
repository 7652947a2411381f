"""Local post ids: time-ordered 64-bit integers (milliseconds << 16 | random), like Mastodon's
snowflakes, so ids sort by creation without a central counter shared by the CLI and server."""

from __future__ import annotations

import secrets

from federation.clock import Clock


def new_post_id(clock: Clock) -> int:
    return (int(clock.now().timestamp() * 1000) << 16) | secrets.randbits(16)
