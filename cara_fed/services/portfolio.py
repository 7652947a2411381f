"""What the public pages show: an artist's works as tiles (pinned first), a work with what
the fediverse answered, an album in its order. Read-only; a few queries per page, however many
works there are."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Subquery

from cara_fed.store.audience import Standing, audience_filter
from cara_fed.store.media import media_by_post, shown_media
from cara_fed.store.models import (
    SHOWN,
    Actor,
    Album,
    AlbumItem,
    Follow,
    Interaction,
    MediaAttachment,
    Post,
)

PER_PAGE = 30


@dataclass(frozen=True)
class Tile:
    """One work in a grid: its cover (the first image) and how many images it has."""

    post: Post
    cover: MediaAttachment | None
    count: int


def works_seen(person: Actor, standing: Standing):
    """What a portfolio shows its viewer: the artist's works they may see (followers-only
    ones to accepted followers, none to someone on either side of a block), not their
    answers to others (a reply from an app may be text alone)."""
    return Post.filter(audience_filter(standing), author=person, in_reply_to=None)


async def tiles(posts: list[Post]) -> list[Tile]:
    by_post = await media_by_post([p.pk for p in posts])
    return [
        Tile(p, next(iter(by_post.get(p.pk, [])), None), len(by_post.get(p.pk, []))) for p in posts
    ]


@dataclass(frozen=True)
class Portfolio:
    pinned: list[Tile]
    works: list[Tile]
    page: int
    has_next: bool
    total: int
    albums: list[tuple[Album, Tile | None]]
    followers: int
    following: int


async def portfolio(person: Actor, page: int, standing: Standing) -> Portfolio:
    """Pinned works (on the first page), then the rest newest first, PER_PAGE a page."""
    pinned = []
    if page == 1:
        pinned = (
            await works_seen(person, standing)
            .filter(pinned_at__not_isnull=True)
            .order_by("-pinned_at")
        )
    rest = works_seen(person, standing).filter(pinned_at__isnull=True)
    total = await works_seen(person, standing).count()
    works = await rest.order_by("-published").offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
    has_next = len(works) > PER_PAGE
    albums = await Album.filter(owner=person).order_by("-updated_at")
    covers = await album_covers(albums, standing)
    shown = await tiles([*pinned, *works[:PER_PAGE]])
    return Portfolio(
        pinned=shown[: len(pinned)],
        works=shown[len(pinned) :],
        page=page,
        has_next=has_next,
        total=total,
        albums=[(a, covers.get(a.pk)) for a in albums],
        followers=await Follow.filter(followee=person, state="accepted").count(),
        following=await Follow.filter(follower=person, state="accepted").count(),
    )


async def album_covers(albums: list[Album], standing: Standing) -> dict[int, Tile]:
    """Each album's cover: the first image of its first work the viewer may see. Only ids
    are read for the items (an album may hold hundreds); full rows only for the few
    covers."""
    seen = Subquery(Post.filter(audience_filter(standing)).values("id"))
    pairs = (
        await AlbumItem.filter(album_id__in=[a.pk for a in albums], post_id__in=seen)
        .order_by("album_id", "position")
        .values_list("album_id", "post_id")
    )
    first: dict[int, int] = {}
    for album_id, post_id in pairs:
        first.setdefault(album_id, post_id)
    posts = await Post.filter(id__in=set(first.values()))
    made = {t.post.pk: t for t in await tiles(posts)}
    return {album_id: made[post_id] for album_id, post_id in first.items() if post_id in made}


async def album_works(album: Album, standing: Standing | None = None) -> list[Tile]:
    """The album's works the viewer may see; every shown one for its owner's studio
    (`standing` None)."""
    query = AlbumItem.filter(album=album, **{f"post__{k}": v for k, v in SHOWN.items()})
    if standing is not None:
        query = query.filter(
            post_id__in=Subquery(Post.filter(audience_filter(standing)).values("id"))
        )
    items = await query.order_by("position").prefetch_related("post")
    return await tiles([i.post for i in items])


@dataclass(frozen=True)
class Reply:
    post: Post
    media: list[MediaAttachment]


@dataclass(frozen=True)
class WorkPage:
    media: list[MediaAttachment]
    likes: int
    boosts: int
    replies: list[Reply]
    albums: list[Album]
    answers: Post | None = None  # the post this one answers, when it is here to link to


async def work_page(post: Post, standing: Standing) -> WorkPage:
    media = await shown_media(post)
    counts = {"Like": 0, "Announce": 0}
    for kind in await Interaction.filter(object_uri=post.uri).values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    replies = (
        await Post.filter(audience_filter(standing), in_reply_to=post.uri)
        .order_by("published")
        .limit(100)
        .prefetch_related("author")
    )
    reply_media = await media_by_post([r.pk for r in replies])
    albums = await Album.filter(items__post=post).order_by("title")
    answers = None
    if post.in_reply_to:
        answers = await Post.get_or_none(
            audience_filter(standing), uri=post.in_reply_to
        ).prefetch_related("author")
    return WorkPage(
        media=media,
        likes=counts["Like"],
        boosts=counts["Announce"],
        replies=[Reply(r, reply_media.get(r.pk, [])) for r in replies],
        albums=albums,
        answers=answers,
    )
