"""Announce (boost): of a local post it is counted; of another post, recorded when the booster
is followed here so it can reach their followers' feeds."""

from __future__ import annotations

from activitypub.activity import Activity
from inbox.context import InboxContext
from inbox.handlers._interactions import record_interaction


async def handle(activity: Activity, ctx: InboxContext) -> None:
    await record_interaction(activity, ctx, only_local=False)
