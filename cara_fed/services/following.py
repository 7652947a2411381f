"""Following and unfollowing accounts, on other servers and on this one.

A remote follow is a Follow activity delivered to the peer, whose Accept arrives later. A
local one is written directly, with no HTTP round trip to ourselves, as Mastodon does: the
same Follow row a peer's Follow makes (cara_fed/store/follows.py), so follow requests and
their approval work the same whoever asked."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from activitypub.activity import build_follow
from activitypub.errors import InvalidObject
from activitypub.urls import Urls
from activitypub.webfinger import Account, actor_id_from_jrd, parse_account
from cara_fed.errors import UserError
from cara_fed.store.blocks import either_blocks
from cara_fed.store.follows import record_follow
from cara_fed.store.models import Actor, Follow
from cara_fed.store.notifications import notify
from federation.outbox import emit, end_follow
from federation.resolver import ResolveError

if TYPE_CHECKING:
    from cara_fed.instance import Instance


class FollowError(UserError):
    pass


async def webfinger_document(instance: Instance, account: Account) -> dict[str, Any]:
    """The WebFinger answer for `user@host`, over https; over plain http too where the admin
    allows it (`webfinger_http_fallback`: local and test setups). Raises ResolveError."""
    try:
        return await instance.resolver.webfinger_jrd(account, "https")
    except ResolveError:
        if not instance.config.federation.webfinger_http_fallback:
            raise
        return await instance.resolver.webfinger_jrd(account, "http")


async def member_named(urls: Urls, account: str) -> Actor | None:
    """The member `account` names when it names one of this server (`name`, `name@ourdomain`,
    the actor URL or the profile URL); None when it names another server's account.
    FollowError when it names no member of ours."""
    if account.startswith(("http://", "https://")):
        if not urls.is_local(account):
            return None
        found = Actor.filter(Q(uri=account) | Q(url=account))
    else:
        username, _, domain = account.partition("@")
        if domain and domain.lower() != urls.domain.lower():
            return None
        found = Actor.filter(username=username.lower())
    person = await found.filter(local=True, actor_type="Person", approved=True).first()
    if person is None:
        raise FollowError(f"there is no account {account} on {urls.domain}")
    return person


async def resolve_account(instance: Instance, account: str) -> Actor:
    """An actor from `[@]user[@host[:port]]` (by WebFinger when the host is another) or from
    its actor URL."""
    account = account.strip().removeprefix("acct:").removeprefix("@")
    if not account:
        raise FollowError("say whom to follow: a name here, or artist@their.server")
    local = await member_named(instance.urls, account)
    if local is not None:
        return local
    try:
        if account.startswith(("http://", "https://")):
            return await instance.resolver.actor(account)
        handle = parse_account(account)
        jrd = await webfinger_document(instance, handle)
        actor = await instance.resolver.actor(actor_id_from_jrd(jrd))
        await _confirm_handle(instance, handle, actor)
        return actor
    except (ResolveError, InvalidObject) as exc:
        raise FollowError(f"cannot find {account}: {exc}") from None


async def _confirm_handle(instance: Instance, handle: Account, actor: Actor) -> None:
    """Mastodon's WebFinger round trip: an actor found through someone's WebFinger must be
    the one its own server names. Else any server could answer `artist@evil.example` with a
    real artist's actor, or with its own actor whose name copies theirs. When the handle asked
    is not the actor's own (`preferredUsername@its host`), its host must answer for that one
    with the same actor. Raises InvalidObject."""
    own = Account(username=actor.username, domain=actor.domain.lower())
    if (handle.username.lower(), handle.domain) == (own.username.lower(), own.domain):
        return  # the answer came from the actor's own host, for its own name
    if actor_id_from_jrd(await webfinger_document(instance, own)) != actor.uri:
        raise InvalidObject(f"{actor.uri} is not what {own.domain} answers for @{own}")


async def followable(instance: Instance, follower: Actor, account: str) -> Actor:
    """The account `follower` asks to follow; anyone but themselves."""
    target = await resolve_account(instance, account)
    if target.pk == follower.pk:
        raise FollowError("you cannot follow yourself")
    if await either_blocks(follower, target):
        raise FollowError(f"you cannot follow {target.handle}: one of you blocks the other")
    return target


async def follow(instance: Instance, follower: Actor, account: str) -> tuple[Follow, int | None]:
    """Follow `account`: the follow row, and the id of the Follow's delivery row (None for an
    account of this server, which is followed directly: accepted, or pending its approval)."""
    target = await followable(instance, follower, account)
    if target.local:
        row = await record_follow(follower, target, instance.urls.new_activity())
        await notify(target, "follow" if row.state == "accepted" else "follow_request", follower)
        return row, None
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


async def follow_state(follower: Actor, followee: Actor) -> str | None:
    """The state of `follower`'s follow of `followee` (accepted, pending), None if none."""
    row = await Follow.get_or_none(follower=follower, followee=followee)
    return row.state if row else None


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
    async with in_transaction():
        await end_follow(follow_row, follower, target, instance.urls.new_activity(), instance.clock)
    instance.wake_workers()
