"""Reports: a member reports an account, here or elsewhere, and some of its works; a peer's
Flag reports a member here (inbox/handlers/flag.py). The admins read both in one queue, from
the web and the CLI, and resolve them; a member's report about an account elsewhere may be
forwarded to that account's server as a Flag from the instance actor, which never names the
member who reported (Mastodon's forward)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_flag
from cara_fed.errors import UserError
from cara_fed.services.following import resolve_account
from cara_fed.store.audience import may_see
from cara_fed.store.models import Actor, Post
from cara_fed.store.notifications import notify_member
from cara_fed.store.safety_models import Report
from federation.outbox import emit

if TYPE_CHECKING:
    from cara_fed.instance import Instance

MAX_COMMENT = 1_000  # as Mastodon's own reports
MAX_POSTS = 20


class ReportError(UserError):
    pass


async def report(
    instance: Instance, member: Actor, account: str, post_uris: list[str], comment: str
) -> Report:
    """`member` reports `account` (a name here, user@host or an actor URL) and those of its
    posts stored here that the member may see; a post of anyone else is refused."""
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ReportError(f"the comment is {len(comment)} characters; at most {MAX_COMMENT}")
    if len(post_uris) > MAX_POSTS:
        raise ReportError(f"a report names at most {MAX_POSTS} posts")
    if not account.strip():
        raise ReportError("say which account you report")
    target = await resolve_account(instance, account)
    if target.pk == member.pk:
        raise ReportError("you cannot report yourself")
    posts = await Post.filter(uri__in=post_uris, author=target)
    found = {p.uri for p in posts if await may_see(member, p)}
    missing = [uri for uri in post_uris if uri not in found]
    if missing:
        raise ReportError(f"not a post of {target.handle} you can see here: {missing[0]}")
    return await Report.create(
        origin="local",
        reporter=member,
        account=target,
        post_uris=sorted(found, key=post_uris.index),
        comment=comment,
    )


async def report_named(report_id: int) -> Report:
    row = await Report.get_or_none(id=report_id).prefetch_related("reporter", "account")
    if row is None:
        raise ReportError(f"there is no report {report_id}")
    return row


async def resolve(instance: Instance, report_id: int, note: str = "") -> Report:
    row = await report_named(report_id)
    if row.state == "resolved":
        raise ReportError(f"report {report_id} is resolved already")
    row.state = "resolved"
    row.resolution = note.strip()[:MAX_COMMENT]
    row.resolved_at = instance.clock.now()
    async with in_transaction():
        await row.save(update_fields=["state", "resolution", "resolved_at"])
        if row.origin == "local":
            await notify_member(row.reporter, "report_resolved", account=row.account)
    return row


async def forward(instance: Instance, report_id: int) -> Report:
    """Send a member's report on to the reported account's server, once."""
    row = await report_named(report_id)
    if row.origin != "local" or row.account.local:
        raise ReportError("only a member's report about an account on another server is forwarded")
    if row.forwarded_at is not None:
        raise ReportError(f"report {report_id} was forwarded already")
    actor = await Actor.get(uri=instance.urls.instance_actor)
    body = build_flag(
        instance.urls.new_activity(), actor.uri, row.account.uri, row.post_uris, row.comment
    )
    async with in_transaction():
        await emit(actor, body, [row.account.inbox], instance.clock, public=False)
        row.forwarded_at = instance.clock.now()
        await row.save(update_fields=["forwarded_at"])
    instance.wake_workers()
    return row
