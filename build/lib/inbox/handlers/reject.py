"""Reject of one of our Follows (or removal of an accepted follower): the follow is gone."""

from __future__ import annotations

from activitypub.activity import Activity
from inbox.context import InboxContext
from inbox.handlers._follows import our_follow_answered


async def handle(activity: Activity, ctx: InboxContext) -> None:
    follow = await our_follow_answered(activity)
    if follow:
        await follow.delete()
