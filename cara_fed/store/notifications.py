"""Writing a member's notifications, once each: a replayed activity or a repeated follow
does not tell them twice; and reading them, without what the member blocks or mutes, with
how many are unread since their `notifications` marker.

Besides Mastodon's kinds, a member is told about their own things (OWN_KINDS): a work's
images are cloaked (published, or waiting for the artist to look) or the cloak failed, a
moderator approved or rejected a held work, a report they made was resolved, and an account
they followed moved (and they follow it where it went), an import of theirs finished. The client
API lists Mastodon's kinds only (apps know no others); the web lists all."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from cara_fed.store import raw_sql
from cara_fed.store.api_models import Marker, Notification, PostSubscription
from cara_fed.store.blocks import blocked_domains, silenced_condition, silenced_ids
from cara_fed.store.models import Actor, Interaction, Post

KINDS = ("follow", "follow_request", "favourite", "reblog", "mention", "status", "update")
OWN_KINDS = (
    "cloaked", "cloak_failed", "work_approved", "work_rejected", "report_resolved", "moved",
    "import_finished",
    "export_finished",
)  # fmt: skip
FROM_ACTIVITY = {"Like": "favourite", "Announce": "reblog"}


async def notify(recipient: Actor, kind: str, account: Actor, post_uri: str | None = None) -> None:
    """Tell a local member; nobody is told about what they did themselves, nor about what
    someone they block, who blocks them or whom they mute did."""
    if not recipient.local or recipient.pk == account.pk:
        return
    # Not when a block either way, their server blocked, or a mute silences it.
    await _write(recipient, kind, account, post_uri, unless=silenced_condition(recipient, account))


async def notify_member(
    member: Actor, kind: str, post_uri: str | None = None, account: Actor | None = None
) -> None:
    """Tell a member about their own work or report (OWN_KINDS); `account` is whom it is
    about (the reported account), else the member. Told again, it is new again (a second
    cloak of the work, a second report about the account): the old notice goes."""
    assert kind in OWN_KINDS, kind
    account = account or member
    await Notification.filter(
        recipient=member, kind=kind, account=account, post_uri=post_uri
    ).delete()
    await _write(member, kind, account, post_uri)


async def _write(
    recipient: Actor,
    kind: str,
    account: Actor,
    post_uri: str | None,
    unless: tuple[str, list] | None = None,
) -> None:
    """The notice, in one statement: not when it is there already (a replay; NULL post_uris
    escape the unique index, so it is asked), nor when the condition `unless` holds."""
    same_post = "post_uri = ?" if post_uri is not None else "post_uri IS NULL"
    sql = (
        "INSERT INTO notifications (recipient_id, kind, account_id, post_uri, created_at)"
        " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM notifications"
        f" WHERE recipient_id = ? AND kind = ? AND account_id = ? AND {same_post})"
    )
    values = [recipient.pk, kind, account.pk, post_uri, datetime.now(UTC)]
    values += [recipient.pk, kind, account.pk] + ([post_uri] if post_uri is not None else [])
    if unless is not None:
        sql += f" AND NOT ({unless[0]})"
        values += unless[1]
    try:
        await raw_sql.run(Notification, sql + " ON CONFLICT DO NOTHING", values)
    except IntegrityError:
        pass  # the member or the account went meanwhile


async def notify_subscribers(author: Actor, post: Post) -> None:
    """Mastodon's `status`: members who rang the bell on `author` hear of a new post (not
    of an answer, nor of a direct message, as Mastodon)."""
    if post.held or post.in_reply_to or post.visibility == "direct":
        return
    # Asked of every post stored, and nobody has rung the bell on most authors: the ids
    # first, in hand-written SQL, and the members only when there are some.
    rung = await raw_sql.rows(
        PostSubscription, "SELECT member_id FROM post_subscriptions WHERE account_id = ?",
        [author.pk],
    )  # fmt: skip
    if rung:
        for member in await Actor.filter(id__in=[row["member_id"] for row in rung]):
            await notify(member, "status", author, post.uri)


async def notify_boosters(author: Actor, post: Post) -> None:
    """Mastodon's `update`: members who boosted a post hear that it was edited (once a
    post: a second edit does not tell them again)."""
    boosters = await Interaction.filter(
        kind="Announce", object_uri=post.uri, actor__local=True
    ).prefetch_related("actor")
    for row in boosters:
        await notify(row.actor, "update", author, post.uri)


async def shown_to(member: Actor):
    """The member's notifications, newest first, without those caused by an account on
    either side of a block with them, one they mute with notifications, or a server they
    block (muted since, or blocked since: hidden, not deleted)."""
    query = Notification.filter(recipient=member).order_by("-id").prefetch_related("account")
    quiet = await silenced_ids(member)
    if quiet:
        query = query.exclude(account_id__in=list(quiet))
    servers = await blocked_domains(member)
    if servers:
        query = query.exclude(account__domain__in=servers)
    return query


async def last_read(member: Actor, timeline: str = "notifications") -> int:
    marker = await Marker.get_or_none(member=member, timeline=timeline)
    return marker.last_read_id if marker else 0


async def unread_count(member: Actor) -> int:
    query = await shown_to(member)
    return await query.filter(id__gt=await last_read(member)).count()


async def mark_read(member: Actor, timeline: str, last_read_id: int) -> Marker:
    """Move the marker, never backwards past what is already read (two devices)."""
    marker, _ = await Marker.get_or_create(member=member, timeline=timeline)
    if last_read_id > marker.last_read_id:
        marker.last_read_id = last_read_id
        marker.version += 1
        await marker.save()
    return marker
