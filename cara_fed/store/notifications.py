"""Writing a member's notifications, once each: a replayed activity or a repeated follow
does not tell them twice."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from cara_fed.store.api_models import Notification, PostSubscription
from cara_fed.store.blocks import silenced
from cara_fed.store.models import Actor, Interaction, Post

KINDS = ("follow", "follow_request", "favourite", "reblog", "mention", "status", "update")
FROM_ACTIVITY = {"Like": "favourite", "Announce": "reblog"}


async def notify(recipient: Actor, kind: str, account: Actor, post_uri: str | None = None) -> None:
    """Tell a local member; nobody is told about what they did themselves, nor about what
    someone they block, who blocks them or whom they mute did."""
    if not recipient.local or recipient.pk == account.pk:
        return
    if await silenced(recipient, account):
        return  # a block either way, their server blocked, or a mute
    if await Notification.exists(
        recipient=recipient, kind=kind, account=account, post_uri=post_uri
    ):
        return
    try:
        await Notification.create(
            recipient=recipient, kind=kind, account=account, post_uri=post_uri
        )
    except IntegrityError:
        pass  # told already, by a concurrent copy of the same activity


async def notify_subscribers(author: Actor, post: Post) -> None:
    """Mastodon's `status`: members who rang the bell on `author` hear of a new post (not
    of an answer, nor of a direct message, as Mastodon)."""
    if post.held or post.in_reply_to or post.visibility == "direct":
        return
    for row in await PostSubscription.filter(account=author).prefetch_related("member"):
        await notify(row.member, "status", author, post.uri)


async def notify_boosters(author: Actor, post: Post) -> None:
    """Mastodon's `update`: members who boosted a post hear that it was edited (once a
    post: a second edit does not tell them again)."""
    boosters = await Interaction.filter(
        kind="Announce", object_uri=post.uri, actor__local=True
    ).prefetch_related("actor")
    for row in boosters:
        await notify(row.actor, "update", author, post.uri)
