"""A member's favourites and boosts, of any post they may see: recorded here (counts, the
viewer's own state) and sent as Like and Announce, taken back with an Undo of the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_announce, build_like, build_undo
from cara_fed.errors import UserError
from cara_fed.store.audience import may_see
from cara_fed.store.ids import new_post_id
from cara_fed.store.models import Actor, Interaction, OutboundActivity, Post
from cara_fed.store.notifications import FROM_ACTIVITY, notify
from federation.outbox import emit, follower_inboxes

if TYPE_CHECKING:
    from cara_fed.instance import Instance


class InteractionError(UserError):
    pass


async def _targets(instance: Instance, member: Actor, post: Post, kind: str) -> list[str]:
    """Where the activity goes: the author's inbox (a remote author's), and for a boost
    the member's followers too."""
    author = await post.author
    inboxes = [] if author.local else [author.inbox]
    if kind == "Announce":
        inboxes += await follower_inboxes(member)
    return inboxes


async def add(instance: Instance, member: Actor, post: Post, kind: str) -> bool:
    """Favourite ("Like") or boost ("Announce") `post`; False when it already was."""
    if kind == "Announce" and post.visibility not in ("public", "unlisted"):
        raise InteractionError("only public and unlisted posts can be boosted")
    if not await may_see(member, post):
        raise InteractionError("this post is not there for you")
    if await Interaction.exists(actor=member, object_uri=post.uri, kind=kind):
        return False
    author = await post.author
    activity_id = instance.urls.new_activity()
    if kind == "Like":
        body = build_like(activity_id, member.uri, post.uri, author.uri)
    else:
        body = build_announce(
            activity_id,
            member.uri,
            post.uri,
            author.uri,
            instance.urls.followers(member.username),
            instance.clock.now(),
        )
    async with in_transaction():
        await Interaction.create(
            id=new_post_id(instance.clock),
            kind=kind,
            actor=member,
            object_uri=post.uri,
            activity_uri=activity_id,
        )
        await emit(
            member,
            body,
            await _targets(instance, member, post, kind),
            instance.clock,
            public=kind == "Announce",
        )
    if author.local:
        await notify(author, FROM_ACTIVITY[kind], member, post.uri)
    instance.wake_workers()
    return True


async def boost_of(member: Actor, post: Post) -> Interaction | None:
    return await Interaction.get_or_none(
        actor=member, object_uri=post.uri, kind="Announce"
    ).prefetch_related("actor")


async def remove(instance: Instance, member: Actor, post: Post, kind: str) -> bool:
    """Take a favourite or boost back; False when there was none."""
    row = await Interaction.get_or_none(actor=member, object_uri=post.uri, kind=kind)
    if row is None:
        return False
    original = await OutboundActivity.get_or_none(uri=row.activity_uri)
    author = await post.author
    undone = (
        original.body
        if original
        else {"id": row.activity_uri, "type": kind, "actor": member.uri, "object": post.uri}
    )
    body = build_undo(instance.urls.new_activity(), member.uri, undone, [author.uri])
    async with in_transaction():
        await row.delete()
        await emit(
            member, body, await _targets(instance, member, post, kind), instance.clock, public=False
        )
    instance.wake_workers()
    return True
