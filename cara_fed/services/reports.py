"""Read-only views for admins and members: the delivery queue, a member's home feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cara_fed.store.audience import may_see
from cara_fed.store.blocks import hidden_for
from cara_fed.store.media import media_by_post
from cara_fed.store.models import (
    SHOWN,
    Actor,
    Delivery,
    DomainHealth,
    Follow,
    Post,
)


@dataclass(frozen=True)
class DomainDeliveries:
    domain: str
    pending: int
    failing: int
    dead: int
    done: int
    unavailable_until: datetime | None


async def delivery_report() -> list[DomainDeliveries]:
    rows = await Delivery.all().values("domain", "state", "attempts")
    health = {h.domain: h.unavailable_until for h in await DomainHealth.all()}
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        c = counts.setdefault(r["domain"], {"pending": 0, "failing": 0, "dead": 0, "done": 0})
        if r["state"] == "pending":
            c["failing" if r["attempts"] else "pending"] += 1
        else:
            c[r["state"]] = c.get(r["state"], 0) + 1
    return [
        DomainDeliveries(
            domain, c["pending"], c["failing"], c["dead"], c["done"], health.get(domain)
        )
        for domain, c in sorted(counts.items())
    ]


async def home_timeline(person: Actor, limit: int = 20) -> list[dict[str, Any]]:
    """Posts of accounts `person` follows, newest first, with their visible media."""
    followed = await Follow.filter(follower=person, state="accepted").values_list(
        "followee_id", flat=True
    )
    following = set(followed)
    hidden = await hidden_for(person)
    posts = [
        post
        for post in await Post.filter(author_id__in=followed, **SHOWN)
        .order_by("-published")
        .limit(limit * 4)
        .prefetch_related("author")
        if not hidden.hides(post.author)
        and await may_see(person, post, following=following, blocked=hidden.blocked_ids)
    ][:limit]
    by_post = await media_by_post([p.id for p in posts])
    return [
        {
            "uri": p.uri,
            "url": p.url,
            "author": p.author.uri,
            "published": p.published.isoformat(),
            "content": p.content,
            "summary": p.summary,
            "sensitive": p.sensitive,
            "x_robots_tag": p.x_robots_tag,
            "media": [
                {
                    "remote_url": m.remote_url,
                    "file_name": m.file_name,
                    "media_type": m.media_type,
                    "alt": m.description,
                    "width": m.width,
                    "height": m.height,
                    "blurhash": m.blurhash,
                    "sha256": m.sha256,
                    "focal_point": [m.focal_x, m.focal_y],
                }
                for m in by_post.get(p.id, [])
            ],
        }
        for p in posts
    ]
