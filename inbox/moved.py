"""Moving the members here who follow an account that moved: each follows the account it
moved to instead, and is told. The same for a remote account's believed Move (inbox/
handlers/move.py) and for a member here who moves away (cara_fed/services/moves.py), as
Mastodon's MoveWorker does: the old follow ends (an Undo to its server, when that is
another), the new one is asked for (a Follow, or at once for an account here), unless the
member and the new account are on either side of a block."""

from __future__ import annotations

import logging

from activitypub.activity import build_follow
from activitypub.urls import Urls
from federation.clock import Clock
from federation.outbox import emit, end_follow
from inbox import storage
from inbox.storage import Actor, Follow

log = logging.getLogger(__name__)


async def move_followers(origin: Actor, target: Actor, urls: Urls, clock: Clock) -> int:
    """How many members here now follow (or asked to follow) `target` in `origin`'s place."""
    moved = 0
    for row in await storage.local_followers_of(origin):
        member = row.follower
        await end_follow(row, member, origin, urls.new_activity(), clock)
        if member.pk != target.pk and not await storage.shut_out(member, target.uri):
            await _follow(member, target, urls, clock)
            moved += 1
        await storage.notify_member(member, "moved", account=origin)
    log.info("%s moved to %s: %d follower(s) here moved", origin.uri, target.uri, moved)
    return moved


async def _follow(member: Actor, target: Actor, urls: Urls, clock: Clock) -> None:
    if await Follow.exists(follower=member, followee=target):
        return
    if target.local:
        row = await storage.record_follow(member, target, urls.new_activity())
        await storage.notify(
            target, "follow" if row.state == "accepted" else "follow_request", member
        )
        return
    body = build_follow(urls.new_activity(), member.uri, target.uri)
    await Follow.create(follower=member, followee=target, state="pending", activity_uri=body["id"])
    await emit(member, body, [target.inbox], clock, public=False)
