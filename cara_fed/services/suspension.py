"""An admin suspends a local account, and lifts it, as Mastodon's SuspendAccountService and
UnsuspendAccountService do for a local account: the account keeps its works, follows and
followers, but cannot sign in (its browsers and apps are signed out), its pages answer 403,
its images are no longer served, and its actor is served with `suspended: true` and no
profile; an Update of the actor tells its followers' servers, and another when it is lifted.
Nothing is deleted: unsuspending brings it all back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from cara_fed.errors import UserError
from cara_fed.services.profile import save_and_announce
from cara_fed.store.api_models import OAuthToken
from cara_fed.store.models import Actor, WebSession

if TYPE_CHECKING:
    from cara_fed.instance import Instance


class SuspensionError(UserError):
    pass


async def suspend(instance: Instance, person: Actor) -> None:
    if not person.local or person.actor_type != "Person" or person.deleted_at is not None:
        raise SuspensionError("only a local member's account can be suspended here")
    if person.suspended_at is not None:
        raise SuspensionError(f"@{person.username} is suspended already")
    person.suspended_at = instance.clock.now()
    async with in_transaction():
        await save_and_announce(instance, person)
        await WebSession.filter(actor_id=person.id).delete()
        await OAuthToken.filter(actor_id=person.id).delete()
    instance.wake_workers()


async def unsuspend(instance: Instance, person: Actor) -> None:
    if person.suspended_at is None:
        raise SuspensionError(f"@{person.username} is not suspended")
    person.suspended_at = None
    async with in_transaction():
        await save_and_announce(instance, person)
    instance.wake_workers()


async def suspended_members() -> list[Actor]:
    return await Actor.filter(local=True, suspended_at__not_isnull=True).order_by("username")
