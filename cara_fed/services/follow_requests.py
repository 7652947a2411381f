"""Approving and rejecting follow requests of accounts that approve followers by hand.

A remote follower's server is told by an Accept or Reject; a follower on this server reads
the row itself, so nothing is sent to our own inbox (Mastodon's AuthorizeFollowService, too,
answers only remote followers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from cara_fed.errors import UserError
from cara_fed.store.follows import follow_document
from cara_fed.store.models import Actor, Follow
from federation.outbox import answer_follow

if TYPE_CHECKING:
    from cara_fed.instance import Instance


class FollowRequestError(UserError):
    pass


async def pending_requests(local: Actor) -> list[Follow]:
    return await Follow.filter(followee=local, state="pending").prefetch_related("follower")


async def decide(instance: Instance, local: Actor, account: str, *, accept: bool) -> Follow:
    """`account` is the follower's actor URL or user@host handle, as listed."""
    candidates = await pending_requests(local)
    match = next(
        (
            f
            for f in candidates
            if account in (f.follower.uri, f.follower.handle, "@" + f.follower.handle)
        ),
        None,
    )
    if match is None:
        raise FollowRequestError(f"{local.username} has no pending request from {account}")
    follow_body = await follow_document(match, match.follower, local)
    async with in_transaction():
        if accept:
            match.state = "accepted"
            await match.save()
        else:
            await match.delete()
        if not match.follower.local:
            await answer_follow(
                local,
                match.follower,
                follow_body,
                instance.urls.new_activity(),
                instance.clock,
                accept=accept,
            )
    instance.wake_workers()
    return match
