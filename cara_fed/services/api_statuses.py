"""Posts for the client API: who may see which, timelines paged by id as Mastodon pages them,
and the facts a Status carries (counts, the viewer's own favourite and boost)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q

from cara_fed.convert import to_api, to_api_statuses
from cara_fed.instance import Instance
from cara_fed.services import api_accounts
from cara_fed.store.models import SHOWN, Actor, Follow, Interaction, MediaAttachment, Post

MAX_LIMIT = 40


@dataclass(frozen=True)
class Page:
    """Mastodon's paging: newest first below `max_id`, above `since_id`; or the oldest
    above `min_id` (read forward); at most `limit`."""

    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20

    @classmethod
    def of(cls, args) -> Page:
        def number(name: str) -> int | None:
            raw = args.get(name) or ""
            return int(raw) if raw.isdigit() and len(raw) < 20 else None

        limit = number("limit") or 20
        return cls(number("max_id"), number("since_id"), number("min_id"), min(limit, MAX_LIMIT))

    def apply(self, query):
        if self.max_id is not None:
            query = query.filter(id__lt=self.max_id)
        if self.since_id is not None:
            query = query.filter(id__gt=self.since_id)
        if self.min_id is not None:
            return query.filter(id__gt=self.min_id).order_by("id")
        return query.order_by("-id")


async def _follows(viewer: Actor | None, author_id: int) -> bool:
    if viewer is None:
        return False
    return await Follow.exists(follower=viewer, followee_id=author_id, state="accepted")


async def can_see(viewer: Actor | None, post: Post) -> bool:
    """The author sees their own posts, held or being cloaked; anyone else what is shown,
    by its audience: public and unlisted to all, followers-only to accepted followers,
    direct to the people it names."""
    if post.deleted_at is not None:
        return False
    if viewer is not None and post.author_id == viewer.pk:  # type: ignore[attr-defined]
        return True
    if post.held or post.cloak_pending:
        return False
    if post.visibility in ("public", "unlisted"):
        return True
    if post.visibility == "followers":
        return await _follows(viewer, post.author_id)  # type: ignore[attr-defined]
    return viewer is not None and viewer.uri in (post.recipients or [])


async def _window(
    query, page: Page, viewer: Actor | None, keep: Callable[[Post], bool] = lambda _: True
) -> list[Post]:
    """Up to page.limit posts the viewer may see (and `keep` keeps), newest first."""
    found: list[Post] = []
    offset = 0
    while len(found) < page.limit:
        batch = await page.apply(query).offset(offset).limit(page.limit * 2)
        if not batch:
            break
        offset += len(batch)
        found.extend([p for p in batch if keep(p) and await can_see(viewer, p)])
    found = found[: page.limit]
    if page.min_id is not None:
        found.reverse()
    return found


async def home(viewer: Actor, page: Page) -> list[Post]:
    followed = await Follow.filter(follower=viewer, state="accepted").values_list(
        "followee_id", flat=True
    )
    query = Post.filter(deleted_at=None).filter(
        Q(author_id=viewer.pk) | Q(author_id__in=list(followed), held=False, cloak_pending=False)
    )
    return await _window(query, page, viewer)


async def public(viewer: Actor | None, page: Page, *, local: bool, remote: bool) -> list[Post]:
    query = Post.filter(visibility="public", **SHOWN)
    if local:
        query = query.filter(local=True)
    elif remote:
        query = query.filter(local=False)
    return await _window(query, page, viewer)


async def tagged(viewer: Actor | None, page: Page, tag: str) -> list[Post]:
    """Public posts with the tag (tags are kept as written; matched without case), searched
    as deep as the page needs, not only among the newest public posts."""
    wanted = tag.lower()
    query = Post.filter(visibility="public", **SHOWN)
    return await _window(
        query, page, viewer, keep=lambda post: wanted in {t.lower() for t in post.tags or []}
    )


async def by_author(
    viewer: Actor | None,
    author: Actor,
    page: Page,
    *,
    only_media: bool,
    exclude_replies: bool,
    pinned: bool,
) -> list[Post]:
    query = Post.filter(author=author, deleted_at=None)
    if exclude_replies:
        query = query.filter(in_reply_to=None)
    if pinned:
        query = query.filter(pinned_at__not_isnull=True)
    if only_media:
        query = query.filter(id__in=MediaAttachment.filter(post__author=author).values("post_id"))
    return await _window(query, page, viewer)


async def statuses(instance: Instance, viewer: Actor | None, posts: list[Post]) -> list[dict]:
    """The Status entities of `posts`, in order, with their authors counted once each."""
    ids = [p.pk for p in posts]
    media: dict[int, list[MediaAttachment]] = {}
    for m in await MediaAttachment.filter(post_id__in=ids).order_by("position"):
        media.setdefault(m.post_id, []).append(m)  # type: ignore[attr-defined]
    authors: dict[int, dict[str, Any]] = {}
    uris = [p.uri for p in posts]
    counts: dict[tuple[str, str], int] = {}
    for uri, kind in await Interaction.filter(object_uri__in=uris).values_list(
        "object_uri", "kind"
    ):
        counts[(uri, kind)] = counts.get((uri, kind), 0) + 1
    mine = set()
    if viewer is not None:
        mine = set(
            await Interaction.filter(object_uri__in=uris, actor=viewer).values_list(
                "object_uri", "kind"
            )
        )
    replies: dict[str, int] = {}
    for target in await Post.filter(in_reply_to__in=uris, deleted_at=None).values_list(
        "in_reply_to", flat=True
    ):
        replies[target] = replies.get(target, 0) + 1
    parents = {
        p.uri: p for p in await Post.filter(uri__in=[p.in_reply_to for p in posts if p.in_reply_to])
    }
    out = []
    for post in posts:
        author = await post.author
        if author.pk not in authors:
            authors[author.pk] = to_api.account(
                author, await api_accounts.facts(author), instance.urls
            )
        own = viewer is not None and author.pk == viewer.pk
        shown = media.get(post.pk, [])
        if not own:
            shown = [m for m in shown if m.screening_verdict == "accept" and m.file_name]
        parent = parents.get(post.in_reply_to or "")
        facts = to_api_statuses.StatusFacts(
            favourites=counts.get((post.uri, "Like"), 0),
            reblogs=counts.get((post.uri, "Announce"), 0),
            replies=replies.get(post.uri, 0),
            favourited=(post.uri, "Like") in mine,
            reblogged=(post.uri, "Announce") in mine,
            in_reply_to_id=str(parent.pk) if parent else None,
            in_reply_to_account_id=str(parent.author_id) if parent else None,  # type: ignore[attr-defined]
        )
        out.append(
            to_api_statuses.status(post, shown, authors[author.pk], facts, instance.urls, own=own)
        )
    return out


async def visible_status(viewer: Actor | None, status_id: str) -> Post | None:
    if not status_id.isdigit() or len(status_id) > 19:
        return None
    post = await Post.get_or_none(id=int(status_id))
    return post if post is not None and await can_see(viewer, post) else None


async def thread(viewer: Actor, post: Post, depth: int = 40) -> tuple[list[Post], list[Post]]:
    """The posts this one answers, oldest first, and the replies under it, in the order they
    came: those stored here and visible to the viewer, `depth` levels at most each way."""
    ancestors: list[Post] = []
    current = post
    while current.in_reply_to and len(ancestors) < depth:
        parent = await Post.get_or_none(uri=current.in_reply_to)
        if parent is None or not await can_see(viewer, parent):
            break
        ancestors.insert(0, parent)
        current = parent
    descendants: list[Post] = []
    level = [post.uri]
    for _ in range(depth):
        replies = await Post.filter(in_reply_to__in=level, deleted_at=None).order_by("id")
        replies = [r for r in replies if await can_see(viewer, r)]
        if not replies:
            break
        descendants.extend(replies)
        level = [r.uri for r in replies]
    return ancestors, descendants
