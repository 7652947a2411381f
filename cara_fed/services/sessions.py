"""Web sessions: signing in with a password, the session behind a cookie, signing out."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from cara_fed.services.oauth import digest
from cara_fed.store.models import Actor, WebSession

SESSION_DAYS = 30


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches a hash made by accounts.hash_password (scrypt)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, salt, expected = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), expected)


# Checked against when the name is unknown, so that a wrong name costs as long as a wrong
# password and the timing does not tell which accounts exist.
_DUMMY = "scrypt$32768$8$1$00000000000000000000000000000000$00"


async def password_matches(person: Actor, password: str) -> bool:
    """The member's password, asked again (a change, two-factor, deleting the account); off
    the event loop, as scrypt takes a while by design."""
    return await asyncio.to_thread(verify_password, person.password_hash, password)


async def authenticate(username: str, password: str) -> Actor | None:
    person = await Actor.get_or_none(local=True, username=username, actor_type="Person")
    stored = person.password_hash if person else _DUMMY
    ok = await asyncio.to_thread(verify_password, stored, password)
    return person if ok and person is not None else None


async def start(
    person: Actor, now: datetime, *, user_agent: str | None = None, address: str | None = None
) -> tuple[str, WebSession]:
    """A new session for `person`: (the cookie's token, the row)."""
    token = secrets.token_urlsafe(32)
    session = await WebSession.create(
        token_hash=digest(token),
        actor=person,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(days=SESSION_DAYS),
        user_agent=(user_agent or "")[:512] or None,
        address=(address or "")[:64] or None,
        last_seen_at=now,
    )
    return token, session


# How stale "last seen" may be: one UPDATE per session this often, not one per request.
SEEN_EVERY = timedelta(minutes=5)


async def current(token: str | None, now: datetime) -> WebSession | None:
    if not token:
        return None
    session = await WebSession.get_or_none(token_hash=digest(token)).prefetch_related("actor")
    if session is None or session.expires_at <= now:
        return None
    if session.last_seen_at is None or now - session.last_seen_at >= SEEN_EVERY:
        await WebSession.filter(token_hash=session.token_hash).update(last_seen_at=now)
        session.last_seen_at = now
    return session


async def of(person: Actor, now: datetime) -> list[WebSession]:
    """The member's signed-in browsers, the most recently used first."""
    rows = await WebSession.filter(actor_id=person.id, expires_at__gt=now)
    return sorted(rows, key=lambda s: s.last_seen_at or s.created_at, reverse=True)


async def end_one(person: Actor, token_hash: str) -> bool:
    """Sign one of the member's browsers out (only theirs: the hash is checked with them)."""
    return bool(await WebSession.filter(actor_id=person.id, token_hash=token_hash).delete())


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))  # fmt: skip
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))  # fmt: skip


def device(user_agent: str | None) -> str:
    """A User-Agent as a person names their device ("Firefox on Linux"); the order of the
    tables matters, as every engine claims to be the ones before it."""
    if not user_agent:
        return "an unknown browser"
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent[:60]


async def end(token: str | None) -> None:
    if token:
        await WebSession.filter(token_hash=digest(token)).delete()
