"""Following and unfollowing remote accounts."""

from __future__ import annotations

import asyncio
from typing import Any

from tortoise.transactions import in_transaction

from activitypub.activity import build_follow, build_undo
from activitypub.errors import InvalidObject
from activitypub.webfinger import Account, actor_id_from_jrd, parse_account
from cara_fed.errors import UserError
from cara_fed.instance import Instance
from cara_fed.store.models import Actor, Follow, OutboundActivity
from federation.outbox import emit
from federation.resolver import ResolveError


class FollowError(UserError):
    pass


async def webfinger_document(instance: Instance, account: Account) -> dict[str, Any]:
    """The WebFinger answer for `user@host`, over https; over plain http too where private
    addresses are allowed (local and test setups). Raises ResolveError."""
    try:
        return await instance.resolver.webfinger_jrd(account, "https")
    except ResolveError:
        if not instance.config.federation.allow_private_addresses:
            raise
        return await instance.resolver.webfinger_jrd(account, "http")


async def resolve_account(instance: Instance, account: str) -> Actor:
    """An actor from `user@host[:port]` (by WebFinger) or from its actor URL."""
    try:
        if account.startswith(("http://", "https://")):
            return await instance.resolver.actor(account)
        jrd = await webfinger_document(instance, parse_account(account))
        return await instance.resolver.actor(actor_id_from_jrd(jrd))
    except (ResolveError, InvalidObject) as exc:
        raise FollowError(f"cannot find {account}: {exc}") from None


async def follow(instance: Instance, follower: Actor, account: str) -> tuple[Follow, int]:
    """Send a Follow; returns the follow row and the id of its delivery row."""
    target = await resolve_account(instance, account)
    if target.local:
        raise FollowError("following accounts on this instance is not supported yet")
    existing = await Follow.get_or_none(follower=follower, followee=target)
    if existing:
        await existing.delete()
    body = build_follow(instance.urls.new_activity(), follower.uri, target.uri)
    row = await Follow.create(
        follower=follower, followee=target, state="pending", activity_uri=body["id"]
    )
    activity = await emit(follower, body, [target.inbox], instance.clock, public=False)
    delivery = await activity.deliveries.all().first()
    instance.wake_workers()
    return row, delivery.id if delivery else 0


async def wait_for_answer(follow_row: Follow, seconds: float) -> str:
    """Poll for the peer's Accept (handled by the server's worker); the state after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        current = await Follow.get_or_none(id=follow_row.id)
        if current is None:
            return "rejected"
        if current.state == "accepted" or asyncio.get_running_loop().time() >= deadline:
            return current.state
        await asyncio.sleep(0.2)


async def unfollow(instance: Instance, follower: Actor, account: str) -> None:
    target = await resolve_account(instance, account)
    follow_row = await Follow.get_or_none(follower=follower, followee=target)
    if follow_row is None:
        raise FollowError(f"{follower.username} does not follow {account}")
    original = await OutboundActivity.get_or_none(uri=follow_row.activity_uri)
    follow_body = (
        original.body
        if original
        else build_follow(follow_row.activity_uri, follower.uri, target.uri)
    )
    body = build_undo(instance.urls.new_activity(), follower.uri, follow_body, [target.uri])
    async with in_transaction():
        await follow_row.delete()
        await emit(follower, body, [target.inbox], instance.clock, public=False)
    instance.wake_workers()
