"""Telling a member (cara_fed/store/notifications.notify), which is one hand-written statement
since the inbound worker's queries were cut: the notice is written once, and not at all when a
block either way, a server block either way or a mute with notifications silences the
account; on a real SQLite file and on PostgreSQL (its server runs on every machine of this
project)."""

from __future__ import annotations

from cara_fed.store.api_models import Notification
from cara_fed.store.models import Actor
from cara_fed.store.notifications import notify, notify_member
from cara_fed.store.safety_models import AccountBlock, AccountMute, MemberDomainBlock
from tests.cara_fed.test_audience import actor


async def told(member: Actor) -> list[tuple[str, str, str | None]]:
    rows = await Notification.filter(recipient=member).order_by("id").prefetch_related("account")
    return [(n.kind, n.account.username, n.post_uri) for n in rows]


async def test_a_member_is_told_once_and_a_replay_adds_nothing(each_database):
    ada = await actor("ada", "here.example", local=True)
    fan = await actor("fan", "there.example")
    for _ in range(2):  # the activity delivered twice
        await notify(ada, "mention", fan, "https://there.example/p/1")
        await notify(ada, "follow", fan)  # no post: NULLs escape the unique index
    await notify(ada, "favourite", ada, "https://here.example/p/2")  # their own doing
    await notify(fan, "follow", ada)  # not a member here
    assert await told(ada) == [
        ("mention", "fan", "https://there.example/p/1"),
        ("follow", "fan", None),
    ]
    assert await told(fan) == []
    [row] = await Notification.filter(recipient=ada, kind="follow")
    assert row.created_at is not None and row.created_at.tzinfo is not None


async def test_each_block_and_a_mute_silence_an_account(each_database):
    ada = await actor("ada", "here.example", local=True)
    bea = await actor("bea", "here.example", local=True)
    blocked, blocker = await actor("blocked", "a.example"), await actor("blocker", "b.example")
    on_blocked_server = await actor("x", "blocked.example")
    muted, muted_quietly = await actor("muted", "c.example"), await actor("quiet", "d.example")
    friend = await actor("friend", "e.example")
    await AccountBlock.create(blocker=ada, target=blocked, activity_uri="u:1")
    await AccountBlock.create(blocker=blocker, target=ada, activity_uri="u:2")
    await MemberDomainBlock.create(member=ada, domain="blocked.example")
    await MemberDomainBlock.create(member=bea, domain="here.example")  # bea blocks ada's server
    await AccountMute.create(member=ada, target=muted)  # notifications muted (the default)
    await AccountMute.create(member=ada, target=muted_quietly, notifications=False)
    for account in (blocked, blocker, on_blocked_server, bea, muted, muted_quietly, friend):
        await notify(ada, "mention", account, f"https://x.example/{account.username}")
    assert {who for _, who, _ in await told(ada)} == {"quiet", "friend"}
    # The block binds the other way too: bea is not told of what ada does.
    await notify(bea, "follow", ada)
    assert await told(bea) == []


async def test_a_members_own_notice_is_new_again(each_database):
    ada = await actor("ada", "here.example", local=True)
    await notify_member(ada, "cloaked", "https://here.example/p/1")
    first = await Notification.get(recipient=ada, kind="cloaked")
    await notify_member(ada, "cloaked", "https://here.example/p/1")
    again = await Notification.get(recipient=ada, kind="cloaked")
    assert again.pk != first.pk
