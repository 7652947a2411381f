"""Everything the inbox reads or writes, in one module: the one place `inbox/` imports the
application's storage (`cara_fed.store`), so that handlers name what they need ("does
someone here follow this actor?") rather than spread queries and models across the package.

`cara_fed.store` imports nothing of the application above it (tests/test_layers.py checks):
this import does not pull in the web app, the services or the configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from cara_fed.store import abuse_reports, blocks, hash_lists, moderation, queue, raw_sql
from cara_fed.store.audience import may_boost, may_see
from cara_fed.store.credentials_trust import anchors_for, trust
from cara_fed.store.domain_blocks import BlockList
from cara_fed.store.follows import record_follow
from cara_fed.store.ids import free_id_at
from cara_fed.store.inbound_writer import InboundRow, InboundWriter
from cara_fed.store.media import remove_unused_files, thumbnail_in_use
from cara_fed.store.media_store import MediaStore
from cara_fed.store.models import Actor, Follow, InboundActivity, Interaction, Post
from cara_fed.store.notifications import (
    FROM_ACTIVITY,
    notify,
    notify_boosters,
    notify_member,
    notify_subscribers,
)
from cara_fed.store.remote_posts import (
    delete_remote_actor,
    delete_remote_post,
    record_remote,
    save_remote_post,
)

__all__ = [
    "Actor",
    "BlockList",
    "Follow",
    "InboundActivity",
    "InboundRow",
    "InboundWriter",
    "MediaStore",
    "Post",
    "anchors_for",
    "delete_remote_actor",
    "delete_remote_post",
    "may_boost",
    "may_see",
    "notify",
    "notify_boosters",
    "notify_member",
    "notify_subscribers",
    "record_follow",
    "record_remote",
    "remove_unused_files",
    "save_remote_post",
    "thumbnail_in_use",
    "trust",
]

listed_as = moderation.listed_as
record_flag = abuse_reports.record_flag
record_block_of_member = blocks.record_block_of_member
remove_block_by = blocks.remove_block_by
refresh_hash_index = hash_lists.refresh_index


# -- the inbound queue -------------------------------------------------------------------


async def claim_inbound(
    now: datetime, lease_seconds: float, limit: int, skip_domains: list[str] | None = None
) -> list[InboundActivity]:
    """Lease up to `limit` due rows, none from an actor on `skip_domains` (hosts)."""
    skip = None
    for domain in skip_domains or ():
        for scheme in ("https", "http"):
            match = Q(actor_uri__startswith=f"{scheme}://{domain}/")
            skip = match if skip is None else skip | match
    return await queue.claim_due(
        InboundActivity, now=now, lease_seconds=lease_seconds, limit=limit, skip=skip
    )


async def renew_inbound(row: InboundActivity, until: datetime) -> bool:
    return await queue.renew(InboundActivity, row, until)


async def release_inbound(row: InboundActivity) -> bool:
    return await queue.release(InboundActivity, row)


async def finish_inbound(row: InboundActivity, **values: Any) -> bool:
    return await queue.finish(InboundActivity, row, **values)


async def finish_inbound_all(rows: list[InboundActivity], **values: Any) -> int:
    return await queue.finish_all(InboundActivity, rows, **values)


# -- actors and posts --------------------------------------------------------------------


async def actor_known(uri: str) -> bool:
    return await Actor.exists(uri=uri)


async def local_actor(uri: str) -> Actor | None:
    """A local account other servers may reach: not a sign-up still waiting for approval
    (Mastodon's rule for unapproved accounts: they are not there to be followed), nor a
    deleted or suspended account."""
    return await Actor.get_or_none(
        uri=uri, local=True, approved=True, deleted_at=None, suspended_at=None
    )


async def local_members_among(uris: list[str]) -> list[Actor]:
    """The accounts here (approved, not deleted) among `uris`: whom a post is addressed to."""
    if not uris:
        return []
    return await Actor.filter(uri__in=uris, local=True, approved=True, deleted_at=None)


async def post_exists(uri: str) -> bool:
    return await raw_sql.exists(Post, "uri = ?", [uri])


async def live_local_post(uri: str) -> Post | None:
    return await Post.get_or_none(uri=uri, local=True, deleted_at=None)


async def post_by_uri(uri: str) -> Post | None:
    return await Post.get_or_none(uri=uri)


async def live_post_with_author(uri: str) -> Post | None:
    return await Post.get_or_none(uri=uri, deleted_at=None).prefetch_related("author")


# -- follows and interactions ------------------------------------------------------------


async def shut_out(member: Actor, actor_uri: str) -> bool:
    """Whether `member` and the account `actor_uri` are on either side of a block (or the
    member blocks its server): its follows, replies, likes and boosts are refused."""
    return await blocks.blocked_by(member.pk, actor_uri)


async def reply_to_one_who_shuts_out(in_reply_to: str, actor_uri: str) -> bool:
    """Whether `in_reply_to` is a member's work and the member and `actor_uri` are on either
    side of a block: such a reply is not stored, so it never shows under the work."""
    post = await live_local_post(in_reply_to)
    return post is not None and await blocks.blocked_by(post.author_id, actor_uri)


async def local_followers_of(actor: Actor) -> list[Follow]:
    """The members here who follow `actor` (accepted), with their rows."""
    return await Follow.filter(
        followee=actor, state="accepted", follower__local=True
    ).prefetch_related("follower")


async def mark_moved(actor: Actor, target_uri: str, at: datetime) -> bool:
    """Record that `actor` moved to `target_uri`; False when it already had (a replay)."""
    return bool(
        await Actor.filter(
            Q(moved_to__isnull=True) | Q(moved_to__not=target_uri), id=actor.pk
        ).update(moved_to=target_uri, moved_at=at)
    )


async def followed_here(actor_uri: str) -> bool:
    """Whether a member of this server follows `actor_uri` (accepted)."""
    return await Follow.exists(followee__uri=actor_uri, follower__local=True, state="accepted")


async def our_follow_of(
    peer_uri: str, *, activity_uri: str | None = None, follower_uri: str | None = None
) -> Follow | None:
    """A member's Follow of `peer_uri`, found by its activity id or by the member."""
    follows = Follow.filter(follower__local=True, followee__uri=peer_uri)
    if activity_uri is not None:
        follows = follows.filter(activity_uri=activity_uri)
    if follower_uri is not None:
        follows = follows.filter(follower__uri=follower_uri)
    return await follows.first()


async def remove_follow(
    follower_uri: str, *, followee_uri: str | None = None, activity_uri: str | None = None
) -> None:
    """Delete `follower_uri`'s Follow of `followee_uri`, or the one with `activity_uri`."""
    follows = Follow.filter(follower__uri=follower_uri)
    if followee_uri:
        await follows.filter(followee__uri=followee_uri).delete()
    elif activity_uri:
        await follows.filter(activity_uri=activity_uri).delete()


async def record_interaction(
    kind: str, actor: Actor, object_uri: str, activity_uri: str, at: datetime
) -> None:
    """A Like or Announce, once by its activity id: a replay is already recorded."""
    try:
        await Interaction.create(
            id=await free_id_at(Interaction, at),
            kind=kind,
            actor=actor,
            object_uri=object_uri,
            activity_uri=activity_uri,
        )
    except IntegrityError:
        if not await Interaction.exists(activity_uri=activity_uri):
            raise  # not a replay: another process took the id; the activity is retried


async def remove_interaction(activity_uri: str, actor_uri: str) -> None:
    await Interaction.filter(activity_uri=activity_uri, actor__uri=actor_uri).delete()


async def notify_interaction(kind: str, actor: Actor, object_uri: str) -> None:
    """Tell the author of a local post that `actor` favourited or boosted it."""
    post = await Post.get_or_none(uri=object_uri, local=True).prefetch_related("author")
    if post is not None:
        await notify(post.author, FROM_ACTIVITY[kind], actor, object_uri)


async def notify_mentions(post: Post, author: Actor, addressed: list[Actor]) -> None:
    """Tell the members a shown post is addressed to (Mastodon's mention; not the instance
    actor)."""
    if post.held:
        return
    for member in addressed:
        if member.actor_type == "Person":
            await notify(member, "mention", author, post.uri)
