"""A member's email address: what mail reaches them at (password resets), set at sign-up, on
/settings/account or with `cara-fed user email`. One address per member, each address used by
one member: a reset must reach exactly one account. With `[email] confirm_signups`, a sign-up
confirms its address by a mailed link before it can sign in."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from cara_fed.errors import UserError
from cara_fed.services.oauth import digest
from cara_fed.store.account_models import AccountEmail
from cara_fed.store.models import Actor

# Not RFC 5322 (nobody's real address needs quoted local parts or comments): one @, no
# spaces or angle brackets, a dotted domain. The SMTP server is the judge of the rest.
_ADDRESS = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_ADDRESS = 254  # RFC 5321's limit on a path


class EmailError(UserError):
    pass


TAKEN = "that address belongs to another account here"


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
        raise EmailError(TAKEN)
    try:
        updated = await AccountEmail.filter(actor_id=person.id).update(address=address)
        if not updated:
            await AccountEmail.create(actor_id=person.id, address=address)
    except IntegrityError:  # another account took it between the check and the write
        raise EmailError(TAKEN) from None
    return address


async def free_address(raw: str) -> str:
    """`raw` as stored, if no member here has it yet."""
    address = normalise(raw)
    if await member_with(address):
        raise EmailError(TAKEN)
    return address


async def member_at(raw: str) -> Actor | None:
    """The member whose address `raw` is, as someone typed it; None also when it is not an
    address at all (the forms that ask answer the same either way)."""
    try:
        return await member_with(normalise(raw))
    except EmailError:
        return None


async def member_with(address: str) -> Actor | None:
    """The local member whose address this is, if any (approved or not: the caller decides)."""
    row = await AccountEmail.get_or_none(address=address).prefetch_related("actor")
    return row.actor if row else None


# A confirmation link works for two days (Mastodon's Devise config leaves confirm_within
# unset, so its links never expire; a link that does is one less thing left lying in mail).
CONFIRM_LIFETIME = timedelta(days=2)


async def start_confirmation(person: Actor, now: datetime) -> str:
    """A new link for the member's address, replacing any earlier one; returns its token."""
    token = secrets.token_urlsafe(32)
    await AccountEmail.filter(actor_id=person.id).update(
        confirm_token_hash=digest(token), confirm_sent_at=now, confirmed_at=None
    )
    return token


async def awaiting_confirmation(person: Actor) -> str | None:
    """The address whose link the member has not followed yet, or None."""
    row = await AccountEmail.get_or_none(actor_id=person.id, confirm_token_hash__not_isnull=True)
    return row.address if row else None


async def confirm(token: str, now: datetime, *, open_signups: bool) -> Actor | None:
    """Follow a link: the address is confirmed (once, within CONFIRM_LIFETIME), and under
    open sign-ups the account becomes there for others; None when the link does not work."""
    if not token or len(token) > 100:
        return None
    row = await AccountEmail.get_or_none(
        confirm_token_hash=digest(token), confirm_sent_at__gt=now - CONFIRM_LIFETIME
    ).prefetch_related("actor")
    if row is None:
        return None
    spent = await AccountEmail.filter(id=row.id, confirm_token_hash=digest(token)).update(
        confirm_token_hash=None, confirmed_at=now
    )
    if not spent:
        return None
    if open_signups:
        await Actor.filter(id=row.actor_id, deleted_at=None).update(approved=True)
    return row.actor
