"""Posts for the client API: who may see which, timelines paged by id as Mastodon pages them,
and the facts a Status carries (counts, the viewer's own favourite and boost)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q

from cara_fed.convert import to_api, to_api_statuses
from cara_fed.services import api_accounts
from cara_fed.store.api_models import Bookmark
from cara_fed.store.audience import may_see
from cara_fed.store.blocks import Hidden, hidden_for
from cara_fed.store.ids import FIRST_TIME_ORDERED
from cara_fed.store.models import SHOWN, Actor, Follow, Interaction, MediaAttachment, Post

if TYPE_CHECKING:
    from cara_fed.instance import Instance

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


async def can_see(
    viewer: Actor | None, post: Post, *, blocked: Collection[int] | None = None
) -> bool:
    return await may_see(viewer, post, blocked=blocked)


async def _hidden(viewer: Actor | None) -> Hidden:
    """What the viewer shuts out, so that each post costs no query."""
    return await hidden_for(viewer) if isinstance(viewer, Actor) else Hidden()


HiddenOf = Callable[[], Awaitable[Hidden]]


def _hidden_once(viewer: Actor | None) -> HiddenOf:
    """`_hidden`, read at the first batch a request needs it and kept for the others (and
    for a second stream of the same request: the home timeline's posts and boosts)."""
    found: list[Hidden] = []

    async def get() -> Hidden:
        if not found:
            found.append(await _hidden(viewer))
        return found[0]

    return get


@dataclass(frozen=True)
class Boost:
    """A boost in a timeline: Mastodon's reblog, a status of its own (the boost's id, its
    booster, its time) wrapping the post."""

    row: Interaction
    post: Post

    @property
    def pk(self) -> int:
        return self.row.pk


@dataclass(frozen=True)
class Kept:
    """A post in a member's favourites or bookmarks, paged by when they kept it."""

    row_id: int
    post: Post

    @property
    def pk(self) -> int:
        return self.row_id


Shown = Post | Boost | Kept


def _visible_posts(
    viewer: Actor | None,
    keep: Callable[[Post], bool] = lambda _: True,
    *,
    timeline: bool = False,
    hidden_of: HiddenOf | None = None,
) -> Callable[[list], Awaitable[list[Shown]]]:
    """Posts the viewer may see; in a timeline, none by an account or server they block or
    mute (as Mastodon's feeds leave them out)."""
    hidden_of = hidden_of or _hidden_once(viewer)

    async def accept(batch: list[Post]) -> list[Shown]:
        hidden = await hidden_of()
        if timeline and not hidden.empty:
            await Post.fetch_for_list(batch, "author")
        return [
            p
            for p in batch
            if keep(p)
            and not (timeline and not hidden.empty and hidden.hides(p.author))
            and await can_see(viewer, p, blocked=hidden.blocked_ids)
        ]

    return accept


def _visible_targets(
    viewer: Actor | None,
    wrap: Callable[[Interaction, Post], Shown],
    *,
    timeline: bool = False,
    hidden_of: HiddenOf | None = None,
    **filters: Any,
) -> Callable[[list], Awaitable[list[Shown]]]:
    """Interactions (boosts, favourites) whose post is stored here (and matches `filters`)
    and the viewer may see, each wrapped with its post; in a timeline, none made by or of
    an account the viewer blocks or mutes."""
    hidden_of = hidden_of or _hidden_once(viewer)

    async def accept(batch: list[Interaction]) -> list[Shown]:
        hidden = await hidden_of()
        query = Post.filter(uri__in=[r.object_uri for r in batch], **filters)
        if timeline and not hidden.empty:
            query = query.prefetch_related("author")
            await Interaction.fetch_for_list(batch, "actor")
        posts = {p.uri: p for p in await query}
        return [
            wrap(r, posts[r.object_uri])
            for r in batch
            if r.object_uri in posts
            and not (
                timeline
                and not hidden.empty
                and (hidden.hides(r.actor) or hidden.hides(posts[r.object_uri].author))
            )
            and await can_see(viewer, posts[r.object_uri], blocked=hidden.blocked_ids)
        ]

    return accept


def _visible_boosts(
    viewer: Actor | None, *, timeline: bool = False, hidden_of: HiddenOf | None = None
) -> Callable[[list], Awaitable[list[Shown]]]:
    """Boosts whose post is shown here and the viewer may see."""
    return _visible_targets(viewer, Boost, timeline=timeline, hidden_of=hidden_of, **SHOWN)


async def _window(query, page: Page, accept: Callable[[list], Awaitable[list[Shown]]]) -> list:
    """Up to page.limit rows of `query` that `accept` keeps, in the page's reading order
    (newest first; oldest first when reading forward from min_id)."""
    found: list[Shown] = []
    offset = 0
    while len(found) < page.limit:
        batch = await page.apply(query).offset(offset).limit(page.limit * 2)
        if not batch:
            break
        offset += len(batch)
        found.extend(await accept(batch))
    return found[: page.limit]


def _newest_first(page: Page, *windows: list[Shown]) -> list[Shown]:
    """Windows merged by id: the page's `limit` nearest its cursor, newest first."""
    forward = page.min_id is not None
    merged = sorted((i for w in windows for i in w), key=lambda i: i.pk, reverse=not forward)
    merged = merged[: page.limit]
    return merged[::-1] if forward else merged


def _boosts_by(actor_ids: list[int]):
    return Interaction.filter(
        kind="Announce", actor_id__in=actor_ids, id__gte=FIRST_TIME_ORDERED
    ).prefetch_related("actor")


async def home(viewer: Actor, page: Page) -> list[Shown]:
    """The member's own posts and boosts and those of whom they follow, as one stream."""
    followed = await Follow.filter(follower=viewer, state="accepted").values_list(
        "followee_id", flat=True
    )
    query = Post.filter(deleted_at=None).filter(
        Q(author_id=viewer.pk) | Q(author_id__in=list(followed), held=False, cloak_pending=False)
    )
    hidden_of = _hidden_once(viewer)
    posts = await _window(query, page, _visible_posts(viewer, timeline=True, hidden_of=hidden_of))
    boosts = await _window(
        _boosts_by([viewer.pk, *followed]),
        page,
        _visible_boosts(viewer, timeline=True, hidden_of=hidden_of),
    )
    return _newest_first(page, posts, boosts)


async def public(viewer: Actor | None, page: Page, *, local: bool, remote: bool) -> list[Shown]:
    """Posts only: Mastodon's public timelines carry no boosts."""
    query = Post.filter(visibility="public", **SHOWN)
    if local:
        query = query.filter(local=True)
    elif remote:
        query = query.filter(local=False)
    return _newest_first(page, await _window(query, page, _visible_posts(viewer, timeline=True)))


async def tagged(viewer: Actor | None, page: Page, tag: str) -> list[Shown]:
    """Public posts with the tag (tags are kept as written; matched without case), searched
    as deep as the page needs, not only among the newest public posts."""
    wanted = tag.lower()
    query = Post.filter(visibility="public", **SHOWN)
    keep = _visible_posts(
        viewer, lambda post: wanted in {t.lower() for t in post.tags or []}, timeline=True
    )
    return _newest_first(page, await _window(query, page, keep))


async def by_author(
    viewer: Actor | None,
    author: Actor,
    page: Page,
    *,
    only_media: bool,
    exclude_replies: bool,
    exclude_reblogs: bool,
    pinned: bool,
) -> list[Shown]:
    """An account's posts, and its boosts unless the app asks for pinned posts, posts with
    media or no boosts (as Mastodon leaves them out then)."""
    query = Post.filter(author=author, deleted_at=None)
    if exclude_replies:
        query = query.filter(in_reply_to=None)
    if pinned:
        query = query.filter(pinned_at__not_isnull=True)
    if only_media:
        query = query.filter(id__in=MediaAttachment.filter(post__author=author).values("post_id"))
    hidden_of = _hidden_once(viewer)
    posts = await _window(query, page, _visible_posts(viewer, hidden_of=hidden_of))
    if pinned or only_media or exclude_reblogs:
        return _newest_first(page, posts)
    boosts = await _window(
        _boosts_by([author.pk]), page, _visible_boosts(viewer, hidden_of=hidden_of)
    )
    return _newest_first(page, posts, boosts)


async def favourites(viewer: Actor, page: Page) -> list[Shown]:
    """The posts the member favourited, newest favourite first, that they may still see."""
    accept = _visible_targets(viewer, lambda row, post: Kept(row.pk, post))
    query = Interaction.filter(kind="Like", actor=viewer)
    return _newest_first(page, await _window(query, page, accept))


async def bookmarked(viewer: Actor, page: Page) -> list[Shown]:
    """The posts the member bookmarked, newest bookmark first, that they may still see."""

    hidden_of = _hidden_once(viewer)

    async def accept(batch: list[Bookmark]) -> list[Shown]:
        blocked = (await hidden_of()).blocked_ids
        return [Kept(b.pk, b.post) for b in batch if await can_see(viewer, b.post, blocked=blocked)]

    query = Bookmark.filter(member=viewer).prefetch_related("post")
    return _newest_first(page, await _window(query, page, accept))


async def statuses(instance: Instance, viewer: Actor | None, items: list[Shown]) -> list[dict]:
    """The Status entities of posts and boosts, in order; a boost wraps its post's."""
    documents = await _post_statuses(
        instance, viewer, [i if isinstance(i, Post) else i.post for i in items]
    )
    boosters: dict[int, dict[str, Any]] = {}
    out = []
    for item, document in zip(items, documents, strict=True):
        if isinstance(item, Boost):
            booster = await item.row.actor
            if booster.pk not in boosters:
                boosters[booster.pk] = to_api.account(
                    booster, await api_accounts.facts(booster), instance.urls
                )
            document = to_api_statuses.reblog(item.row, boosters[booster.pk], document)
        out.append(document)
    return out


async def _post_statuses(instance: Instance, viewer: Actor | None, posts: list[Post]) -> list[dict]:
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
    marked: set[int] = set()
    if viewer is not None:
        marked = set(
            await Bookmark.filter(member=viewer, post_id__in=ids).values_list("post_id", flat=True)
        )
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
    named = {
        a.uri: to_api.mention(a, instance.urls)
        for a in await Actor.filter(uri__in={u for p in posts for u in p.recipients or []})
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
            bookmarked=post.pk in marked,
            in_reply_to_id=str(parent.pk) if parent else None,
            in_reply_to_account_id=str(parent.author_id) if parent else None,  # type: ignore[attr-defined]
            mentions=[named[u] for u in post.recipients or [] if u in named],
        )
        out.append(
            to_api_statuses.status(post, shown, authors[author.pk], facts, instance.urls, own=own)
        )
    return out


async def visible_item(viewer: Actor | None, status_id: str) -> Shown | None:
    """The post, or the boost, with this status id, if the viewer may see it."""
    if not status_id.isdigit() or len(status_id) > 19:
        return None
    post = await Post.get_or_none(id=int(status_id))
    if post is not None:
        return post if await can_see(viewer, post) else None
    row = await Interaction.get_or_none(id=int(status_id), kind="Announce")
    if row is None:
        return None
    [boost] = await _visible_boosts(viewer)([row]) or [None]
    return boost


async def visible_status(viewer: Actor | None, status_id: str) -> Post | None:
    """The post a status id names; a boost's id names the boosted post."""
    item = await visible_item(viewer, status_id)
    return item.post if isinstance(item, Boost) else item


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
