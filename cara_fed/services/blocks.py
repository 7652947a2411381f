"""A member shutting someone out: blocking an account or a whole server, muting an account.

A block does what Mastodon's BlockService does: the follows both ways end (an Undo of the
member's follow and a Reject of theirs go to the other server), the bell on either side is
taken down, what they caused in the member's notifications goes, and a Block is sent to the
account's server so that it drops the follows too. From then on the inbox refuses their
follows, replies, likes and boosts of the member's works, and neither sees the other's posts
(cara_fed/store/audience.py). A mute sends nothing and tells nobody. A blocked server
(Mastodon's user domain block) loses its follows of the member, each with a Reject."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_block, build_undo
from activitypub.values import host_of
from cara_fed.errors import UserError
from cara_fed.services.following import resolve_account
from cara_fed.store.api_models import Notification, PostSubscription
from cara_fed.store.models import Actor, Follow
from cara_fed.store.safety_models import AccountBlock, AccountMute, MemberDomainBlock
from federation.outbox import emit, end_follow

if TYPE_CHECKING:
    from cara_fed.instance import Instance

MAX_DOMAIN = 253


class BlockError(UserError):
    pass


async def _account(instance: Instance, member: Actor, account: str) -> Actor:
    if not account.strip():
        raise BlockError("say which account: a name here, or artist@their.server")
    target = await resolve_account(instance, account)
    if target.pk == member.pk:
        raise BlockError("you cannot block or mute yourself")
    if target.local and target.actor_type != "Person":
        raise BlockError("the instance's own actor cannot be blocked or muted")
    return target


async def _end_follow(instance: Instance, follower: Actor, followee: Actor) -> None:
    """`follower`'s follow of `followee`, if there is one, ends (its server told)."""
    row = await Follow.get_or_none(follower=follower, followee=followee)
    if row is not None:
        await end_follow(row, follower, followee, instance.urls.new_activity(), instance.clock)


async def block(instance: Instance, member: Actor, account: str) -> Actor:
    """Block `account` (a name here, user@host or an actor URL); blocking again changes
    nothing and sends nothing."""
    target = await _account(instance, member, account)
    if await AccountBlock.exists(blocker=member, target=target):
        return target
    async with in_transaction():
        await _end_follow(instance, member, target)
        await _end_follow(instance, target, member)
        await PostSubscription.filter(member=member, account=target).delete()
        await PostSubscription.filter(member=target, account=member).delete()
        await Notification.filter(recipient=member, account=target).delete()
        await Notification.filter(recipient=target, account=member).delete()
        row = await AccountBlock.create(
            blocker=member, target=target, activity_uri=instance.urls.new_activity()
        )
        if not target.local:
            body = build_block(row.activity_uri, member.uri, target.uri)
            await emit(member, body, [target.inbox], instance.clock, public=False)
    instance.wake_workers()
    return target


def _named(actor: Actor, account: str) -> bool:
    account = account.strip().removeprefix("@")
    return account in (actor.uri, actor.handle, actor.username if actor.local else None)


async def unblock(instance: Instance, member: Actor, account: str) -> Actor:
    """Lift a block the member made: the other server is sent an Undo of the Block."""
    for row in await AccountBlock.filter(blocker=member).prefetch_related("target"):
        if _named(row.target, account):
            async with in_transaction():
                await row.delete()
                if not row.target.local:
                    body = build_block(row.activity_uri, member.uri, row.target.uri)
                    undo = build_undo(
                        instance.urls.new_activity(), member.uri, body, [row.target.uri]
                    )
                    await emit(member, undo, [row.target.inbox], instance.clock, public=False)
            instance.wake_workers()
            return row.target
    raise BlockError(f"{member.username} does not block {account}")


async def blocked_accounts(member: Actor) -> list[Actor]:
    rows = await AccountBlock.filter(blocker=member).order_by("-id").prefetch_related("target")
    return [r.target for r in rows]


async def mute(
    instance: Instance, member: Actor, account: str, *, notifications: bool = True
) -> Actor:
    """Mute `account`; muting again updates whether their notifications are hidden too."""
    target = await _account(instance, member, account)
    row, made = await AccountMute.get_or_create(
        member=member, target=target, defaults={"notifications": notifications}
    )
    if not made and row.notifications != notifications:
        row.notifications = notifications
        await row.save(update_fields=["notifications"])
    return target


async def unmute(member: Actor, account: str) -> Actor:
    for row in await AccountMute.filter(member=member).prefetch_related("target"):
        if _named(row.target, account):
            await row.delete()
            return row.target
    raise BlockError(f"{member.username} does not mute {account}")


async def muted_accounts(member: Actor) -> list[AccountMute]:
    return await AccountMute.filter(member=member).order_by("-id").prefetch_related("target")


def _domain(instance: Instance, text: str) -> str:
    text = text.strip().lower()
    domain = host_of(text) if "://" in text else text.removeprefix("@").split("/")[0]
    if not domain or len(domain) > MAX_DOMAIN or any(c.isspace() for c in domain):
        raise BlockError(f"not a server's name: {text!r} (write it as example.social)")
    if domain == instance.urls.domain.lower():
        raise BlockError("this is your own server: block its accounts one by one instead")
    return domain


async def block_domain(instance: Instance, member: Actor, text: str) -> str:
    """Block a whole server for the member: its accounts' follows of the member end, each
    told with a Reject; the member's own follows there stay, as in Mastodon."""
    domain = _domain(instance, text)
    async with in_transaction():
        _, made = await MemberDomainBlock.get_or_create(member=member, domain=domain)
        if made:
            for row in await Follow.filter(
                followee=member, follower__domain=domain
            ).prefetch_related("follower"):
                await end_follow(
                    row, row.follower, member, instance.urls.new_activity(), instance.clock
                )
    instance.wake_workers()
    return domain


async def unblock_domain(instance: Instance, member: Actor, text: str) -> str:
    domain = _domain(instance, text)
    if not await MemberDomainBlock.filter(member=member, domain=domain).delete():
        raise BlockError(f"{member.username} does not block {domain}")
    return domain
