"""Who may see a post: the one answer every path that shows, counts or accepts something about
a post asks (issue 23). The author sees their own posts, held or being cloaked; anyone else
only what is shown, by its audience: public and unlisted posts to everyone, followers-only
posts to the author's accepted followers and the people the post names, direct posts to the
people they name; and nobody on either side of a block (an account's, or a member's block of
a whole server) sees the other's. A viewer is a local account (an Actor row), a remote one by
its actor URI (a signed fetch, a Like), or nobody.

Only public and unlisted posts may be boosted, as Mastodon decides: a boost would show the
post to the booster's followers, who are not its audience.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tortoise.expressions import Q

from cara_fed.store.blocks import blocked_by, blocking_ids
from cara_fed.store.models import PUBLIC_VISIBILITIES, Actor, Follow, Post

Viewer = Actor | str | None


def _uri(viewer: Viewer) -> str | None:
    return viewer.uri if isinstance(viewer, Actor) else viewer


async def may_see(
    viewer: Viewer,
    post: Post,
    *,
    following: Collection[int] | None = None,
    blocked: Collection[int] | None = None,
) -> bool:
    """`following`: the ids of the accounts a local viewer follows (accepted), and `blocked`:
    the accounts on either side of a block with them (cara_fed/store/blocks.blocking_ids),
    when the caller has them already (a feed of many posts); else they are looked up."""
    if post.deleted_at is not None:
        return False
    author_id = post.author_id  # type: ignore[attr-defined]
    if isinstance(viewer, Actor) and viewer.pk == author_id:
        return True
    if viewer is not None and (
        author_id in blocked if blocked is not None else await blocked_by(author_id, viewer)
    ):
        return False  # neither side of a block sees the other's posts, as Mastodon
    shown = not (post.held or post.cloak_pending)
    if shown and post.visibility in PUBLIC_VISIBILITIES:
        return True
    uri = _uri(viewer)
    if uri is None:
        return False
    if isinstance(viewer, str) and await Actor.exists(id=author_id, uri=uri):
        return True  # a remote author asking about their own post
    if not shown:
        return False
    if uri in (post.recipients or []):
        return True
    if post.visibility != "followers":
        return False
    if following is not None:
        return author_id in following
    follower = {"follower": viewer} if isinstance(viewer, Actor) else {"follower__uri": uri}
    return await Follow.exists(followee_id=author_id, state="accepted", **follower)


def may_boost(post: Post) -> bool:
    return post.visibility in PUBLIC_VISIBILITIES


@dataclass(frozen=True)
class Standing:
    """What a list of posts needs to know about its viewer, read once: whom they follow
    (accepted) and who is on either side of a block with them."""

    viewer: Actor | None
    following: frozenset[int] = frozenset()
    blocked: frozenset[int] = frozenset()


async def standing_of(viewer: Actor | None) -> Standing:
    if viewer is None:
        return Standing(None)
    followed = await Follow.filter(follower=viewer, state="accepted").values_list(
        "followee_id", flat=True
    )
    return Standing(viewer, frozenset(followed), frozenset(await blocking_ids(viewer)))


def audience_filter(standing: Standing) -> Q:
    """`may_see` as a query, for pages that list many posts (a portfolio, an album, a tag,
    the replies under a work): a post it selects is one `may_see` allows (the tests check
    both on the same posts). It leaves out what lists never show: direct posts and what a
    post shows only to the people it names (a post's own page asks `may_see`), and the
    author's held or cloaking posts (their pages list those apart)."""
    shown = Q(deleted_at=None, held=False, cloak_pending=False)
    viewer = standing.viewer
    if viewer is None:
        return shown & Q(visibility__in=PUBLIC_VISIBILITIES)
    audience = Q(visibility__in=PUBLIC_VISIBILITIES) | Q(
        visibility="followers", author_id__in=list(standing.following)
    )
    allowed = shown & audience
    if standing.blocked:
        allowed &= ~Q(author_id__in=list(standing.blocked))
    return (shown & Q(author_id=viewer.pk) & ~Q(visibility="direct")) | allowed
