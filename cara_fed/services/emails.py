"""A member's email address: what mail reaches them at (password resets), set at sign-up, on
/settings/account or with `cara-fed user email`. One address per member, each address used by
one member: a reset must reach exactly one account."""

from __future__ import annotations

import re

from tortoise.exceptions import IntegrityError

from cara_fed.errors import UserError
from cara_fed.store.account_models import AccountEmail
from cara_fed.store.models import Actor

# Not RFC 5322 (nobody's real address needs quoted local parts or comments): one @, no
# spaces or angle brackets, a dotted domain. The SMTP server is the judge of the rest.
_ADDRESS = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_ADDRESS = 254  # RFC 5321's limit on a path


class EmailError(UserError):
    pass


def normalise(raw: str) -> str:
    """The address as stored and compared: trimmed and lower-cased."""
    address = raw.strip().lower()
    if len(address) > MAX_ADDRESS or not _ADDRESS.match(address):
        raise EmailError(f"{raw.strip()[:80]!r} is not an email address such as you@example.org")
    return address


async def address_of(person: Actor) -> str | None:
    row = await AccountEmail.get_or_none(actor_id=person.id)
    return row.address if row else None


async def set_address(person: Actor, raw: str | None) -> str | None:
    """Set (or with an empty value, remove) the member's address; returns it as stored."""
    if not raw or not raw.strip():
        await AccountEmail.filter(actor_id=person.id).delete()
        return None
    address = normalise(raw)
    taken = await AccountEmail.filter(address=address).exclude(actor_id=person.id).exists()
    if taken:
        raise EmailError("that address belongs to another account here")
    try:
        updated = await AccountEmail.filter(actor_id=person.id).update(address=address)
        if not updated:
            await AccountEmail.create(actor_id=person.id, address=address)
    except IntegrityError:  # another account took it between the check and the write
        raise EmailError("that address belongs to another account here") from None
    return address


async def member_with(address: str) -> Actor | None:
    """The local member whose address this is, if any (approved or not: the caller decides)."""
    row = await AccountEmail.get_or_none(address=address).prefetch_related("actor")
    return row.actor if row else None
