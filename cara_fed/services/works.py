"""Changing a published work: its words, tags, content warning and alt texts; pinning it.

Edits reach followers' servers as Update(Note), as Mastodon's edits do; pins as Add and Remove
on the `featured` collection, which Mastodon shows as pinned posts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_collection_change
from activitypub.vocab import PUBLIC
from cara_fed.services.mentions import mention_links
from cara_fed.services.post_input import (
    MAX_TEXT_LENGTH,
    PostError,
    alt_text_required,
    check_alt_texts,
    check_title,
)
from cara_fed.services.post_text import link_mentions, text_to_html
from cara_fed.services.publishing import is_shown, named_in, send_update
from cara_fed.store.models import PUBLIC_VISIBILITIES, Actor, MediaAttachment, Post
from federation.outbox import emit, follower_inboxes

if TYPE_CHECKING:
    from cara_fed.instance import Instance

# Mastodon allows five pinned posts; a portfolio shows a few more.
MAX_PINNED = 8


@dataclass(frozen=True)
class WorkChange:
    title: str
    description: str
    tags: list[str]
    content_warning: str
    sensitive: bool
    alts: list[str]  # one per image, in order


async def own_work(author: Actor, post_id: int) -> Post:
    post = await Post.get_or_none(id=post_id, author=author, local=True, deleted_at=None)
    if post is None:
        raise PostError(f"{author.username} has no work {post_id}")
    return post


async def edit_work(instance: Instance, author: Actor, post: Post, change: WorkChange) -> Post:
    media = await MediaAttachment.filter(post=post).order_by("position")
    if len(change.alts) != len(media):
        raise PostError(f"this work has {len(media)} images: give one alt text for each")
    check_alt_texts(change.alts, required=alt_text_required(instance, author))
    if len(change.description) > MAX_TEXT_LENGTH:
        raise PostError(f"the text is longer than {MAX_TEXT_LENGTH} characters")
    post.title = check_title(change.title)
    # Who a post names is settled when it is made; an edit keeps their names linked.
    post.content = link_mentions(
        text_to_html(change.description), mention_links(await named_in(post))
    )
    post.tags = change.tags
    post.summary = change.content_warning.strip() or None
    post.sensitive = change.sensitive or bool(post.summary)
    post.updated = instance.clock.now()
    for m, alt in zip(media, change.alts, strict=True):
        m.description = alt.strip()
    async with in_transaction():
        await post.save()
        for m in media:
            await m.save(update_fields=["description"])
        await send_update(instance, author, post)
    instance.wake_workers()
    return post


async def set_pinned(instance: Instance, author: Actor, post: Post, pinned: bool) -> Post:
    """Pin (first in the portfolio, in `featured`) or unpin a public work."""
    if pinned == (post.pinned_at is not None):
        return post
    if pinned:
        if post.visibility not in PUBLIC_VISIBILITIES:
            raise PostError("only public works can be pinned")
        if (
            await Post.filter(author=author, deleted_at=None, pinned_at__not_isnull=True).count()
            >= MAX_PINNED
        ):
            raise PostError(f"at most {MAX_PINNED} works can be pinned: unpin one first")
    post.pinned_at = instance.clock.now() if pinned else None
    async with in_transaction():
        await post.save(update_fields=["pinned_at"])
        if is_shown(post):
            body = build_collection_change(
                "Add" if pinned else "Remove",
                instance.urls.new_activity(),
                author.uri,
                post.uri,
                instance.urls.featured(author.username),
                [PUBLIC],
            )
            await emit(author, body, await follower_inboxes(author), instance.clock, public=True)
    instance.wake_workers()
    return post
