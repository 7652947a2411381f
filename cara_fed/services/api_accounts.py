"""The counts the client API's Account entity carries, from the rows."""

from __future__ import annotations

from cara_fed.convert.to_api import AccountFacts
from cara_fed.store.models import SHOWN, Actor, Follow, Post


async def facts(actor: Actor) -> AccountFacts:
    """Followers and following (accepted), shown posts and when the last was published."""
    posts = Post.filter(author=actor, **SHOWN)
    last = await posts.order_by("-published").first().values_list("published", flat=True)
    return AccountFacts(
        followers=await Follow.filter(followee=actor, state="accepted").count(),
        following=await Follow.filter(follower=actor, state="accepted").count(),
        statuses=await posts.count(),
        last_status_at=last,
    )


async def pending_follow_requests(actor: Actor) -> int:
    return await Follow.filter(followee=actor, state="pending").count()
