"""Passwords: a member changes theirs (knowing the current one), an admin sets one from the
CLI, and a forgotten one is reset through a link mailed to the member's address.

A reset link carries a random token, kept only as its SHA-256 digest; it works once, for an
hour, and only for the account it was made for. Every new password, however it was set, ends
the member's other web sessions and any reset links still out (as Devise, which Mastodon
uses, clears its reset token when the password changes); the member's apps are signed out
too when they ask (a reset asks by default: whoever knew the old password may hold a token).
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from cara_fed.errors import UserError
from cara_fed.services import emails
from cara_fed.services.accounts import hash_password
from cara_fed.services.oauth import digest
from cara_fed.services.sessions import password_matches
from cara_fed.store.account_models import PasswordReset
from cara_fed.store.api_models import OAuthToken
from cara_fed.store.models import Actor, WebSession

MIN_PASSWORD = 10
# scrypt takes any length; a cap keeps a pasted novel from being hashed on every sign-in.
MAX_PASSWORD = 1000
RESET_LIFETIME = timedelta(hours=1)
# The same words for a used, expired, unknown or misdirected link: none tells which it was.
INVALID_LINK = (
    "this reset link does not work: it may have been used already or be over an hour old. "
    "Ask for a new one."
)


class PasswordError(UserError):
    pass


def check_new(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"the new password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise PasswordError(f"the new password is longer than {MAX_PASSWORD} characters")


@dataclass(frozen=True)
class Ended:
    sessions: int
    apps: int


async def set_password(
    person: Actor, password: str, *, keep_session: str | None = None, revoke_apps: bool = False
) -> Ended:
    """Store the new password and end what the old one opened: every web session but
    `keep_session` (a token hash), every reset link, and the apps' tokens if asked."""
    check_new(password)
    hashed = await asyncio.to_thread(hash_password, password)
    async with in_transaction():
        await Actor.filter(id=person.id).update(password_hash=hashed)
        sessions = WebSession.filter(actor_id=person.id)
        if keep_session:
            sessions = sessions.exclude(token_hash=keep_session)
        ended = await sessions.delete()
        await PasswordReset.filter(actor_id=person.id, used_at=None).delete()
        apps = await OAuthToken.filter(actor_id=person.id).delete() if revoke_apps else 0
    person.password_hash = hashed
    return Ended(ended, apps)


async def change(
    person: Actor, current: str, new: str, *, session: str, revoke_apps: bool
) -> Ended:
    """A signed-in member's change: the current password first, as every server asks."""
    check_new(new)
    if not await password_matches(person, current):
        raise PasswordError("the current password is wrong")
    return await set_password(person, new, keep_session=session, revoke_apps=revoke_apps)


async def start_reset(address: str, now: datetime) -> tuple[Actor, str] | None:
    """A reset link's token for the member with this address, or None when there is none
    (the caller answers the same either way)."""
    person = await emails.member_at(address)
    if person is None or not person.local or not person.approved:
        return None
    token = secrets.token_urlsafe(32)
    await PasswordReset.create(
        actor_id=person.id, token_hash=digest(token), expires_at=now + RESET_LIFETIME
    )
    return person, token


async def reset_for(token: str, now: datetime) -> Actor | None:
    """The account a link may still reset, or None."""
    if not token or len(token) > 100:
        return None
    row = await PasswordReset.get_or_none(
        token_hash=digest(token), used_at=None, expires_at__gt=now
    ).prefetch_related("actor")
    return row.actor if row else None


async def finish_reset(
    token: str, username: str, password: str, now: datetime, *, revoke_apps: bool
) -> Actor:
    """Set the password through a link: the link is spent in the same statement that checks
    it (two tabs sending it at once reset once), and only for the account it was made for."""
    check_new(password)
    person = await reset_for(token, now)
    if person is None or person.username != username:
        raise PasswordError(INVALID_LINK)
    spent = await PasswordReset.filter(
        token_hash=digest(token), actor_id=person.id, used_at=None, expires_at__gt=now
    ).update(used_at=now)
    if not spent:
        raise PasswordError(INVALID_LINK)
    await set_password(person, password, revoke_apps=revoke_apps)
    return person
