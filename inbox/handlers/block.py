"""Block: an account elsewhere blocks a member here. As Mastodon: the follows both ways end,
and the block is kept so that neither sees the other's posts here; a replay changes
nothing, and a Block of anyone but a member here is ignored."""

from __future__ import annotations

import logging

from activitypub.activity import Activity
from inbox import storage
from inbox.context import InboxContext

log = logging.getLogger(__name__)


async def handle(activity: Activity, ctx: InboxContext) -> None:
    target_uri = activity.object_id
    member = await storage.local_actor(target_uri) if target_uri else None
    if member is None or member.actor_type != "Person":
        log.info("Block %s names %s, who is not a member here", activity.id, target_uri)
        return
    blocker = await ctx.resolver.actor(activity.actor)
    await storage.record_block_of_member(blocker, member, activity.id)
