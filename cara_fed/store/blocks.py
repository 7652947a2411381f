"""Who has shut whom out: the lookups behind blocks, mutes and a member's blocked servers.

Every path that shows something to a member, accepts something from an account or tells a
member about it asks here, so a block holds on the web, in the client API and in the inbox
alike (cara_fed/store/audience.py asks `blocked_by` for every viewer)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from activitypub.values import host_of
from cara_fed.store import raw_sql
from cara_fed.store.api_models import Notification, PostSubscription
from cara_fed.store.models import Actor, Follow
from cara_fed.store.safety_models import AccountBlock, AccountMute, MemberDomainBlock


def domain_of_viewer(viewer: Actor | str) -> str:
    return viewer.domain if isinstance(viewer, Actor) else (host_of(viewer) or "")


async def blocked_by(author_id: int, viewer: Actor | str) -> bool:
    """Whether the account `author_id` blocks `viewer`, by account or (a member's own domain
    block) by the viewer's server; or `viewer` blocks the author: in Mastodon neither side of
    a block sees the other's posts."""
    account = {"id": viewer.pk} if isinstance(viewer, Actor) else {"uri": viewer}
    if await AccountBlock.filter(
        Q(blocker_id=author_id, **{f"target__{k}": v for k, v in account.items()})
        | Q(target_id=author_id, **{f"blocker__{k}": v for k, v in account.items()})
    ).exists():
        return True
    domain = domain_of_viewer(viewer)
    return bool(domain) and await MemberDomainBlock.exists(member_id=author_id, domain=domain)


def either_blocks_condition(a: Actor, b: Actor) -> tuple[str, list]:
    """SQL that holds when there is a block between two accounts, either way, or either
    one's block of the other's server; with its values. `either_blocks` asks it alone,
    `silenced_condition` inside the statement that tells a member."""
    sql = (
        "EXISTS (SELECT 1 FROM account_blocks WHERE (blocker_id = ? AND target_id = ?)"
        " OR (blocker_id = ? AND target_id = ?))"
        " OR EXISTS (SELECT 1 FROM member_domain_blocks WHERE (member_id = ? AND domain = ?)"
        " OR (member_id = ? AND domain = ?))"
    )
    return sql, [a.pk, b.pk, b.pk, a.pk, a.pk, b.domain, b.pk, a.domain]


async def either_blocks(a: Actor, b: Actor) -> bool:
    """A block between two accounts, either way, or either one's block of the other's
    server."""
    condition, values = either_blocks_condition(a, b)
    return bool(await raw_sql.rows(AccountBlock, f"SELECT 1 AS found WHERE {condition}", values))


async def blocking_ids(viewer: Actor) -> set[int]:
    """The accounts on either side of a block with `viewer`: what a feed leaves out."""
    made = await AccountBlock.filter(blocker=viewer).values_list("target_id", flat=True)
    received = await AccountBlock.filter(target=viewer).values_list("blocker_id", flat=True)
    by_domain = await MemberDomainBlock.filter(domain=viewer.domain).values_list(
        "member_id", flat=True
    )
    return {*made, *received, *by_domain}


@dataclass(frozen=True)
class Hidden:
    """What a member does not want to see: accounts on either side of a block with them,
    accounts they mute, and the servers they block."""

    blocked_ids: frozenset[int] = frozenset()
    muted_ids: frozenset[int] = frozenset()
    domains: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.blocked_ids or self.muted_ids or self.domains)

    def hides(self, actor: Actor | None) -> bool:
        """Left out of the member's feeds (posts by them, boosts by them)."""
        if actor is None:
            return False
        return actor.pk in self.blocked_ids | self.muted_ids or actor.domain in self.domains


async def hidden_for(member: Actor) -> Hidden:
    mutes = await AccountMute.filter(member=member).values_list("target_id", flat=True)
    domains = await MemberDomainBlock.filter(member=member).values_list("domain", flat=True)
    return Hidden(
        blocked_ids=frozenset(await blocking_ids(member)),
        muted_ids=frozenset(mutes),
        domains=frozenset(domains),
    )


async def silenced_ids(member: Actor) -> set[int]:
    """The accounts whose notifications the member is not shown: blocked either way, or
    muted with their notifications (what `silenced_condition` decides for one, for a whole
    list)."""
    quiet = await AccountMute.filter(member=member, notifications=True).values_list(
        "target_id", flat=True
    )
    return {*await blocking_ids(member), *quiet}


def silenced_condition(member: Actor, account: Actor) -> tuple[str, list]:
    """SQL that holds when the member is not told of what `account` did: a block either way
    (`either_blocks_condition`), or a mute that covers notifications (the default). One
    condition, so that telling a member is one statement (notifications.py): the ORM said
    this as four queries, run for every mention, follow, like and boost."""
    blocked, values = either_blocks_condition(member, account)
    muted = (
        "EXISTS (SELECT 1 FROM account_mutes WHERE member_id = ? AND target_id = ?"
        " AND notifications = ?)"
    )
    return f"{blocked} OR {muted}", [*values, member.pk, account.pk, True]


async def record_block_of_member(blocker: Actor, member: Actor, activity_uri: str) -> None:
    """An account elsewhere blocked a member here: the follows both ways, the bells and what
    they caused in each other's notifications go, and the block is kept (once; a replay
    only takes the newest activity id, as Mastodon). Nothing is sent: the blocker's server
    dropped its side when it sent the Block."""
    async with in_transaction():
        existing = await AccountBlock.get_or_none(blocker=blocker, target=member)
        if existing is not None:
            if existing.activity_uri != activity_uri:
                existing.activity_uri = activity_uri
                await existing.save(update_fields=["activity_uri"])
            return
        await Follow.filter(
            Q(follower=blocker, followee=member) | Q(follower=member, followee=blocker)
        ).delete()
        await PostSubscription.filter(
            Q(member=member, account=blocker) | Q(member=blocker, account=member)
        ).delete()
        await Notification.filter(recipient=member, account=blocker).delete()
        await AccountBlock.create(blocker=blocker, target=member, activity_uri=activity_uri)


async def remove_block_by(
    blocker_uri: str, activity_uri: str | None, target_uri: str | None
) -> None:
    """An Undo of a Block: only the blocker's own block goes, found by the Block's id or by
    whom it blocked."""
    rows = AccountBlock.filter(blocker__uri=blocker_uri)
    if activity_uri:
        if await rows.filter(activity_uri=activity_uri).delete():
            return
    if target_uri:
        await rows.filter(target__uri=target_uri).delete()


@dataclass(frozen=True)
class BlockState:
    """How a member stands with an account beyond follows (the client API's relationship)."""

    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    domain_blocking: bool


async def block_state(member: Actor, target: Actor) -> BlockState:
    mute = await AccountMute.get_or_none(member=member, target=target)
    return BlockState(
        blocking=await AccountBlock.exists(blocker=member, target=target),
        blocked_by=await AccountBlock.exists(blocker=target, target=member),
        muting=mute is not None,
        muting_notifications=bool(mute and mute.notifications),
        domain_blocking=await MemberDomainBlock.exists(member=member, domain=target.domain),
    )


async def blocked_domains(member: Actor) -> list[str]:
    return list(
        await MemberDomainBlock.filter(member=member)
        .order_by("domain")
        .values_list("domain", flat=True)
    )
