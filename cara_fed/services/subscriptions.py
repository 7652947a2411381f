"""Mastodon's bell on a follow: a member asks to be told whenever an account they follow
posts (`notify` on POST /api/v1/accounts/:id/follow). The telling is in
store/notifications.notify_subscribers."""

from __future__ import annotations

from cara_fed.store.api_models import PostSubscription
from cara_fed.store.models import Actor


async def ring(member: Actor, account: Actor, on: bool) -> None:
    if on:
        await PostSubscription.get_or_create(member=member, account=account)
    else:
        await PostSubscription.filter(member=member, account=account).delete()


async def rings(member: Actor, account: Actor) -> bool:
    return await PostSubscription.exists(member=member, account=account)
