"""Bookmarks: posts a member keeps to find again. Private: stored here, never federated,
shown only to the member (GET /api/v1/bookmarks, and `bookmarked` on each status)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from cara_fed.store.api_models import Bookmark
from cara_fed.store.ids import new_post_id
from cara_fed.store.models import Actor, Post

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def add(instance: Instance, member: Actor, post: Post) -> None:
    if await Bookmark.exists(member=member, post=post):
        return
    try:
        await Bookmark.create(id=new_post_id(instance.clock), member=member, post=post)
    except IntegrityError:
        pass  # kept already, by a concurrent request


async def remove(member: Actor, post: Post) -> None:
    await Bookmark.filter(member=member, post=post).delete()
