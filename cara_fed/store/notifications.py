"""Writing a member's notifications, once each: a replayed activity or a repeated follow
does not tell them twice."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from cara_fed.store.api_models import Notification
from cara_fed.store.models import Actor

KINDS = ("follow", "follow_request", "favourite", "reblog", "mention")
FROM_ACTIVITY = {"Like": "favourite", "Announce": "reblog"}


async def notify(recipient: Actor, kind: str, account: Actor, post_uri: str | None = None) -> None:
    """Tell a local member; nobody is told about what they did themselves."""
    if not recipient.local or recipient.pk == account.pk:
        return
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
