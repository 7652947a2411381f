"""Two-factor sign-in: an authenticator app's six-digit codes (TOTP, RFC 6238, through
pyotp) and ten single-use recovery codes, as Mastodon has them.

A code is accepted within one 30-second step of the server's clock either way (for phones
whose clock is a little off), and once only, as Mastodon's `consumed_timestep`: the step it
signed in with is kept, and a code of that step or an earlier one is refused after. Set-up
stores a pending secret that takes effect only when a code from the app confirms it, so a
half-done set-up never locks anyone out."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from cara_fed.errors import UserError
from cara_fed.services.oauth import digest
from cara_fed.services.sessions import password_matches
from cara_fed.store.account_models import SignInChallenge, TwoFactor
from cara_fed.store.models import Actor

STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10


class TwoFactorError(UserError):
    pass


def _plain(code: str) -> str:
    """A code as typed: spaces and dashes are for reading, case does not count."""
    return "".join(code.split()).replace("-", "").lower()


async def of(person: Actor) -> TwoFactor | None:
    return await TwoFactor.get_or_none(actor_id=person.id)


async def enabled(person: Actor) -> bool:
    return await TwoFactor.filter(actor_id=person.id, enabled_at__not_isnull=True).exists()


async def begin(person: Actor) -> TwoFactor:
    """A new pending secret (replacing one not confirmed); refused while one is on."""
    if await enabled(person):
        raise TwoFactorError("two-factor sign-in is on already: turn it off first")
    await TwoFactor.filter(actor_id=person.id).delete()
    return await TwoFactor.create(actor_id=person.id, secret=pyotp.random_base32(32))


def provisioning_uri(row: TwoFactor, person: Actor, issuer: str) -> str:
    """What the QR code holds: the otpauth:// URI authenticator apps read."""
    return pyotp.TOTP(row.secret).provisioning_uri(name=person.handle, issuer_name=issuer)


def qr_code(uri: str) -> tuple[str, int]:
    """The QR code as a data: URI of an SVG, for an <img> under the pages' CSP (img-src
    'self' data:), and its size in pixels; drawn here, nothing loaded from another site."""
    qr = segno.make(uri, error="m")
    width, _ = qr.symbol_size(scale=5, border=4)
    return qr.svg_data_uri(scale=5, border=4), width


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step within the drift whose code this is, or None."""
    code = _plain(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _new_recovery_codes() -> tuple[list[str], list[str]]:
    """(the codes to show once, their digests to keep): ten of ten hex digits each."""
    shown = [
        f"{secrets.token_hex(5)[:5]}-{secrets.token_hex(5)[:5]}" for _ in range(RECOVERY_CODES)
    ]
    return shown, [digest(_plain(code)) for code in shown]


async def confirm(person: Actor, password: str, code: str, now: datetime) -> list[str]:
    """Turn it on with a first code from the app (and the password, as Mastodon asks before
    changing how one signs in); returns the recovery codes, shown this once."""
    row = await of(person)
    if row is None or row.enabled_at is not None:
        raise TwoFactorError("start the set-up again: no app is waiting to be confirmed")
    if not await password_matches(person, password):
        raise TwoFactorError("the password is wrong")
    step = _matching_step(row.secret, code, now)
    if step is None:
        raise TwoFactorError(
            "that code is not the app's current one: check the phone's clock and try again"
        )
    shown, kept = _new_recovery_codes()
    await TwoFactor.filter(id=row.id, enabled_at=None).update(
        enabled_at=now, last_step=step, recovery_codes=kept
    )
    return shown


async def check(person: Actor, code: str, now: datetime) -> bool:
    """A sign-in's second factor: the app's code of now (once), or a recovery code (spent)."""
    row = await TwoFactor.get_or_none(actor_id=person.id, enabled_at__not_isnull=True)
    if row is None:
        return False
    step = _matching_step(row.secret, code, now)
    if step is not None:
        fresh = Q(last_step=None) | Q(last_step__lt=step)
        return bool(await TwoFactor.filter(Q(id=row.id) & fresh).update(last_step=step))
    given = digest(_plain(code))
    async with in_transaction():
        current = await TwoFactor.select_for_update().get(id=row.id)
        if given not in current.recovery_codes:
            return False
        left = [kept for kept in current.recovery_codes if kept != given]
        await TwoFactor.filter(id=row.id).update(recovery_codes=left)
    return True


async def renew_recovery_codes(person: Actor, code: str, now: datetime) -> list[str]:
    if not await check(person, code, now):
        raise TwoFactorError("that code is wrong, or was used already")
    shown, kept = _new_recovery_codes()
    await TwoFactor.filter(actor_id=person.id).update(recovery_codes=kept)
    return shown


async def disable(person: Actor, password: str, code: str, now: datetime) -> None:
    if not await password_matches(person, password):
        raise TwoFactorError("the password is wrong")
    if not await check(person, code, now):
        raise TwoFactorError("that code is wrong, or was used already")
    await TwoFactor.filter(actor_id=person.id).delete()


async def remove(person: Actor) -> bool:
    """An admin's way back in for a member who lost their phone and codes (the CLI)."""
    return bool(await TwoFactor.filter(actor_id=person.id).delete())


CHALLENGE_LIFETIME = timedelta(minutes=5)


async def challenge(person: Actor, next_path: str, now: datetime) -> str:
    """The password was right and a second factor is due: a token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    await SignInChallenge.filter(expires_at__lt=now).delete()
    await SignInChallenge.create(
        token_hash=digest(token), actor_id=person.id, next=next_path,
        expires_at=now + CHALLENGE_LIFETIME,
    )  # fmt: skip
    return token


async def challenged(token: str | None, now: datetime) -> SignInChallenge | None:
    if not token:
        return None
    return await SignInChallenge.get_or_none(
        token_hash=digest(token), expires_at__gt=now
    ).prefetch_related("actor")


async def end_challenge(token: str) -> None:
    await SignInChallenge.filter(token_hash=digest(token)).delete()
