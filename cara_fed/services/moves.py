"""Account migration, as Mastodon and GoToSocial do it. A member lists the accounts they come
from as aliases (alsoKnownAs on their actor), so that those accounts may move here. A member
moves away to an account that lists them among its aliases (checked on a fresh copy of its
document): a Move goes to every follower's server, the account is marked moved (movedTo in
its document, a notice on its pages), and the members here who follow it follow the new
account instead (inbox/moved.py, the same code a peer's Move runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_move
from cara_fed.errors import UserError
from cara_fed.services.following import resolve_account
from cara_fed.services.profile import save_and_announce
from cara_fed.store.models import Actor
from federation.outbox import emit, follower_inboxes
from inbox.moved import move_followers

if TYPE_CHECKING:
    from cara_fed.instance import Instance

MAX_ALIASES = 10


class MoveError(UserError):
    pass


async def add_alias(instance: Instance, member: Actor, account: str) -> Actor:
    """`account` (user@host or an actor URL) may move to `member`; told to followers."""
    alias = await resolve_account(instance, account)
    if alias.pk == member.pk:
        raise MoveError("an account is not an alias of itself")
    aliases = list(member.also_known_as or [])
    if alias.uri in aliases:
        return alias
    if len(aliases) >= MAX_ALIASES:
        raise MoveError(f"at most {MAX_ALIASES} aliases; remove one first")
    member.also_known_as = [*aliases, alias.uri]
    async with in_transaction():
        await save_and_announce(instance, member)
    instance.wake_workers()
    return alias


async def remove_alias(instance: Instance, member: Actor, account: str) -> str:
    account = account.strip().removeprefix("@")
    for uri, handle in await aliases_of(member):
        if account in (uri, handle):
            member.also_known_as = [u for u in member.also_known_as if u != uri]
            async with in_transaction():
                await save_and_announce(instance, member)
            instance.wake_workers()
            return uri
    raise MoveError(f"{account} is not one of {member.username}'s aliases")


async def aliases_of(member: Actor) -> list[tuple[str, str]]:
    """(uri, handle or uri) of each alias, in the order they were added."""
    known = {a.uri: a.handle for a in await Actor.filter(uri__in=member.also_known_as or [])}
    return [(uri, known.get(uri, uri)) for uri in member.also_known_as or []]


async def move_away(instance: Instance, member: Actor, account: str) -> Actor:
    """Move `member` to `account`, which must list `member` in its aliases."""
    if member.moved_to:
        raise MoveError(f"{member.username} has moved already, to {member.moved_to}")
    target = await resolve_account(instance, account)
    if target.pk == member.pk:
        raise MoveError("an account cannot move to itself")
    if not target.local:
        target = await instance.resolver.actor(target.uri, refresh=True)
    if member.uri not in (target.also_known_as or []):
        raise MoveError(
            f"{target.handle} does not list {member.handle} among its aliases: add "
            f'{member.handle} there first ("also known as", or "moving from")'
        )
    move = build_move(
        instance.urls.new_activity(),
        member.uri,
        target.uri,
        instance.urls.followers(member.username),
    )
    member.moved_to, member.moved_at = target.uri, instance.clock.now()
    async with in_transaction():
        await save_and_announce(instance, member)
        await emit(member, move, await follower_inboxes(member), instance.clock, public=True)
        await move_followers(member, target, instance.urls, instance.clock)
    instance.wake_workers()
    return target
