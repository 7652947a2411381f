"""How much the instance is used, as NodeInfo and the client API's instance documents say it:
counted from the rows, so every document tells the same numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from cara_fed.convert.to_as import UsageCounts
from cara_fed.store.models import SHOWN, Actor, Post


async def _authors_posting_since(moment: datetime) -> int:
    authors = await Post.filter(local=True, published__gte=moment, **SHOWN).values_list(
        "author_id", flat=True
    )
    return len(set(authors))


async def usage_counts(now: datetime) -> UsageCounts:
    """Members, members who posted in the last month and half-year, and shown local posts."""
    return UsageCounts(
        users=await Actor.filter(local=True, actor_type="Person", deleted_at=None).count(),
        active_month=await _authors_posting_since(now - timedelta(days=30)),
        active_halfyear=await _authors_posting_since(now - timedelta(days=180)),
        local_posts=await Post.filter(local=True, **SHOWN).count(),
    )


async def known_domains() -> int:
    """Other servers this one knows an account of."""
    domains = await Actor.filter(local=False).distinct().values_list("domain", flat=True)
    return len(set(domains))
