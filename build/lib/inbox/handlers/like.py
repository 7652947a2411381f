"""Like of a local post: counted; likes of other servers' posts are not our business."""

from __future__ import annotations

from activitypub.activity import Activity
from inbox.context import InboxContext
from inbox.handlers._interactions import record_interaction


async def handle(activity: Activity, ctx: InboxContext) -> None:
    await record_interaction(activity, ctx, only_local=True)
