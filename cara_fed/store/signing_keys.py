"""The instance's Ed25519 signing key for published documents, made once and kept."""

from __future__ import annotations

import asyncio

from tortoise.exceptions import IntegrityError

from cara_fed.store.models import SigningKey
from federation.integrity import generate_ed25519_pem

ASSERTION = "assertion"


async def ensure(name: str = ASSERTION) -> str:
    """The private PEM of the key `name`, made on first use; two processes making it at once
    keep whichever was stored first."""
    row = await SigningKey.get_or_none(name=name)
    if row is not None:
        return row.private_key_pem
    pem = await asyncio.to_thread(generate_ed25519_pem)
    try:
        await SigningKey.create(name=name, private_key_pem=pem)
    except IntegrityError:
        pass
    return (await SigningKey.get(name=name)).private_key_pem
