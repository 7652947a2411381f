"""Reports about accounts and their works, kept for the admins (cara_fed/store/
safety_models.Report): writing one from a peer's Flag, once however often it arrives, and
reading the queue."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from cara_fed.store.models import Actor, Post
from cara_fed.store.safety_models import Report

# Longer comments are cut here: a Flag's body may be up to the inbox's limit (1 MB), and an
# admin reads a paragraph. Mastodon's own reports allow 1,000 characters.
MAX_COMMENT = 5_000


def clip(comment: str) -> str:
    comment = comment.strip()
    return comment if len(comment) <= MAX_COMMENT else comment[: MAX_COMMENT - 1] + "…"


async def record_flag(
    reporter: Actor, targets: list[str], comment: str, flag_uri: str
) -> list[Report]:
    """One report per member here the Flag names, with the member's posts it names (a Flag
    naming only posts reports their authors). Unknown objects and anything not ours are
    left out; a Flag naming nothing of ours makes no report."""
    members = {
        a.uri: a for a in await Actor.filter(uri__in=targets, local=True, actor_type="Person")
    }
    posts = await Post.filter(uri__in=targets, local=True, deleted_at=None).prefetch_related(
        "author"
    )
    for post in posts:
        members.setdefault(post.author.uri, post.author)
    made = []
    for member in members.values():
        named = [p.uri for p in posts if p.author_id == member.pk]  # type: ignore[attr-defined]
        try:
            made.append(
                await Report.create(
                    origin="remote",
                    reporter=reporter,
                    account=member,
                    post_uris=named,
                    comment=clip(comment),
                    flag_uri=flag_uri,
                )
            )
        except IntegrityError:
            pass  # this Flag made this report already: a replay
    return made


async def open_reports() -> list[Report]:
    return await Report.filter(state="open").order_by("id").prefetch_related("reporter", "account")
