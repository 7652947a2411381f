"""Sign-ups waiting under `registrations = "approval"`, and an admin's decision on them: the
one place for it, whether the admin uses the CLI (`cara-fed user pending|approve|reject`) or
the web page (/admin/signups).

Each decision is one conditional statement on rows still waiting, so two admins deciding the
same sign-up at once (or a form sent twice) change it once; the other is told it is gone."""

from __future__ import annotations

from cara_fed.errors import UserError
from cara_fed.store.models import Actor


class SignupError(UserError):
    """No sign-up of that name is waiting: nothing was changed."""


class NoSuchSignup(SignupError):
    """Never made, or rejected already (the name is free)."""


class AlreadyApproved(SignupError):
    """Decided already: the account exists and can sign in."""


def _waiting_query(name: str | None = None):
    query = Actor.filter(local=True, actor_type="Person", approved=False)
    return query.filter(username=name) if name is not None else query


async def waiting_signups() -> list[Actor]:
    """Oldest first: the one who has waited longest is decided first."""
    return await _waiting_query().order_by("created_at", "id")


async def waiting_count() -> int:
    return await _waiting_query().count()


async def _not_waiting(name: str) -> SignupError:
    if await Actor.exists(local=True, actor_type="Person", username=name, approved=True):
        return AlreadyApproved(f"@{name} was approved already: they can sign in")
    return NoSuchSignup(f"no sign-up named {name!r} is waiting (it may have been rejected)")


async def approve(name: str) -> None:
    if not await _waiting_query(name).update(approved=True):
        raise await _not_waiting(name)


async def reject(name: str) -> None:
    """The account was never visible or federated, so deleting it tells no other server."""
    if not await _waiting_query(name).delete():
        raise await _not_waiting(name)
