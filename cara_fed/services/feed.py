"""A member's home feed on the web: posts and boosts of the accounts they follow, and their
own, through the filters they saved (hide tags, hide sensitive media, media only, no boosts,
hide replies)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from cara_fed.errors import UserError
from cara_fed.store.audience import may_boost, may_see
from cara_fed.store.blocks import hidden_for
from cara_fed.store.media import media_by_post
from cara_fed.store.models import SHOWN, Actor, Follow, Interaction, MediaAttachment, Post

MAX_HIDDEN_TAGS = 50


class FilterError(UserError):
    pass


@dataclass(frozen=True)
class FeedFilters:
    hide_tags: list[str] = field(default_factory=list)
    hide_sensitive: bool = False
    media_only: bool = False
    no_boosts: bool = False
    hide_replies: bool = False

    @classmethod
    def from_saved(cls, saved: dict[str, Any] | None) -> FeedFilters:
        """What the actor row holds; unknown or malformed keys are ignored, not trusted."""
        saved = saved if isinstance(saved, dict) else {}
        tags = saved.get("hide_tags")
        return cls(
            hide_tags=[t for t in tags if isinstance(t, str)] if isinstance(tags, list) else [],
            **{
                k: saved.get(k) is True
                for k in ("hide_sensitive", "media_only", "no_boosts", "hide_replies")
            },
        )

    def to_saved(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def active(self) -> bool:
        return self != FeedFilters()


def tags_to_hide(text: str) -> list[str]:
    tags = []
    for word in text.replace(",", " ").split():
        word = word.lstrip("#").strip()
        if word and word.casefold() not in {t.casefold() for t in tags}:
            tags.append(word)
    if len(tags) > MAX_HIDDEN_TAGS:
        raise FilterError(f"a filter can hide at most {MAX_HIDDEN_TAGS} tags")
    return tags


async def save_filters(person: Actor, filters: FeedFilters) -> None:
    person.feed_filters = filters.to_saved()
    await person.save(update_fields=["feed_filters"])


@dataclass
class FeedEntry:
    at: datetime
    post: Post | None  # None: a boost of a post this server has not stored
    media: list[MediaAttachment]
    booster: Actor | None = None
    boosted_uri: str | None = None


def _passes(post: Post, filters: FeedFilters) -> bool:
    """The filters a post's own row decides (media_only needs its images: see home_feed)."""
    if filters.hide_sensitive and (post.sensitive or post.summary):
        return False
    if filters.hide_replies and post.in_reply_to:
        return False
    hidden = {t.casefold() for t in filters.hide_tags}
    return not (hidden and any(t.casefold() in hidden for t in post.tags or ()))


async def home_feed(person: Actor, filters: FeedFilters, limit: int = 40) -> list[FeedEntry]:
    """Newest first: up to `limit` entries that pass the filters, from the newest few
    `limit`s of posts and boosts. Images are read only for the entries that may be shown."""
    followed = list(
        await Follow.filter(follower=person, state="accepted").values_list("followee_id", flat=True)
    )
    following = set(followed)
    hidden = await hidden_for(person)
    window = limit * 3
    posts = [
        p
        for p in await Post.filter(author_id__in=[*followed, person.pk], **SHOWN)
        .order_by("-published")
        .limit(window)
        .prefetch_related("author")
        if not hidden.hides(p.author)
        and await may_see(person, p, following=following, blocked=hidden.blocked_ids)
    ]
    boosts = []
    if not filters.no_boosts:
        boosts = (
            await Interaction.filter(kind="Announce", actor_id__in=followed)
            .order_by("-created_at")
            .limit(window)
            .prefetch_related("actor")
        )
    # Every boosted post stored here, shown or not: one the member may not see (followers-only
    # to someone else's followers, direct, held) is left out, not shown as a boost of a post
    # we do not have.
    stored = {
        p.uri: p
        for p in await Post.filter(uri__in=[b.object_uri for b in boosts]).prefetch_related(
            "author"
        )
    }
    entries = [FeedEntry(p.published, p, []) for p in posts]
    for b in boosts:
        post = stored.get(b.object_uri)
        if hidden.hides(b.actor) or (post is not None and hidden.hides(post.author)):
            continue  # by or of an account the member blocks or mutes
        if post is not None and not (
            may_boost(post)
            and await may_see(person, post, following=following, blocked=hidden.blocked_ids)
        ):
            continue
        entries.append(FeedEntry(b.created_at, post, [], b.actor, b.object_uri))
    entries.sort(key=lambda e: e.at, reverse=True)
    # A boost of a post not stored here has no tags or images to judge: shown unless the
    # member asked for images only or hides tags.
    candidates = [
        e
        for e in entries
        if (e.post is None and not filters.media_only and not filters.hide_tags)
        or (e.post is not None and _passes(e.post, filters))
    ][: limit * (3 if filters.media_only else 1)]
    media = await media_by_post({e.post.pk for e in candidates if e.post})
    for e in candidates:
        e.media = media.get(e.post.pk, []) if e.post else []
    if filters.media_only:
        candidates = [e for e in candidates if e.media]
    return candidates[:limit]
