"""Search as apps ask it (GET /api/v2/search): an account by its handle or address (found
elsewhere by WebFinger when `resolve` is asked and the viewer is signed in, as on Mastodon),
accounts known here by name, a post by its URL (fetched from its server when `resolve` is
asked by a signed-in viewer, and screened like any post that arrives), and a hashtag by its
name. No full-text search of posts: Mastodon offers that only on opt-in servers with
Elasticsearch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tortoise.expressions import Q

from cara_fed.errors import UserError
from cara_fed.services import api_statuses
from cara_fed.services.following import resolve_account
from cara_fed.services.post_input import TAG
from cara_fed.store.models import Actor, Post
from federation.resolver import ResolveError
from inbox.fetched_posts import fetch_post

if TYPE_CHECKING:
    from cara_fed.instance import Instance


@dataclass
class Found:
    accounts: list[Actor] = field(default_factory=list)
    statuses: list[Post] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


async def _fetched(instance: Instance, address: str) -> Post | None:
    """A post elsewhere, fetched and screened as a boosted one is; None when there is none
    (or screening refused it: search shows nothing rather than say why)."""
    try:
        return await fetch_post(address, instance.inbox_context)
    except ResolveError:
        return None


async def search(
    instance: Instance, viewer: Actor | None, q: str, kind: str | None, resolve: bool, limit: int
) -> Found:
    q = q.strip()
    found = Found()
    if not q:
        return found
    is_url = q.startswith(("http://", "https://"))
    if kind in (None, "accounts"):
        if resolve and viewer is not None and (is_url or "@" in q.lstrip("@")):
            try:
                found.accounts.append(await resolve_account(instance, q))
            except UserError:
                pass
        if not found.accounts and not is_url:
            name = q.lstrip("@").split("@")[0]
            query = Actor.filter(actor_type__in=("Person", "Service", "Group"), approved=True)
            found.accounts = await query.filter(
                Q(username__istartswith=name) | Q(display_name__icontains=name)
            ).limit(limit)
    if kind in (None, "statuses") and is_url:
        post = await Post.filter(Q(uri=q) | Q(url=q), deleted_at=None).first()
        if post is None and resolve and viewer is not None and not instance.urls.is_local(q):
            post = await _fetched(instance, q)
        if post is not None and await api_statuses.can_see(viewer, post):
            found.statuses.append(post)
    if kind in (None, "hashtags") and not is_url:
        tag = q.lstrip("#")
        if TAG.match(tag):
            found.hashtags.append(tag)
    return found
