"""Creating local accounts and the instance actor."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re

from activitypub.urls import Urls
from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.store import signing_keys
from cara_fed.store.models import Actor
from federation.keys import generate_rsa_keypair

USERNAME = re.compile(r"^[a-z0-9_]{1,30}$")


class AccountError(UserError):
    pass


def hash_password(password: str) -> str:
    """scrypt (memory-hard) with a random salt, in a self-describing string."""
    salt = os.urandom(16)
    n, r, p = 2**15, 8, 1
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


async def ensure_instance_actor(config: Config) -> Actor:
    """The Application actor at /actor that signs our fetches; made once, at init."""
    urls = Urls(config.base_url)
    await signing_keys.ensure()
    existing = await Actor.get_or_none(uri=urls.instance_actor)
    if existing:
        if existing.username != urls.instance_actor_name:  # named with its port, before
            existing.username = urls.instance_actor_name
            await existing.save(update_fields=["username"])
        return existing
    private_pem, public_pem = await asyncio.to_thread(generate_rsa_keypair)
    return await Actor.create(
        uri=urls.instance_actor,
        local=True,
        actor_type="Application",
        username=urls.instance_actor_name,
        domain=urls.domain,
        display_name=config.instance.name,
        url=urls.base,
        inbox=f"{urls.instance_actor}/inbox",
        shared_inbox=urls.shared_inbox,
        key_id=urls.key_id(urls.instance_actor),
        public_key_pem=public_pem,
        private_key_pem=private_pem,
        manually_approves_followers=True,
        discoverable=False,
    )


async def create_account(
    config: Config,
    username: str,
    *,
    display_name: str = "",
    password: str | None = None,
    approved: bool = True,
    signup_reason: str | None = None,
    admin: bool = False,
) -> Actor:
    if not USERNAME.match(username):
        raise AccountError(
            f"{username!r} is not a valid name: use 1-30 lower-case letters, digits or _"
        )
    urls = Urls(config.base_url)
    if await Actor.exists(local=True, username=username):
        raise AccountError(f"an account named {username!r} already exists")
    private_pem, public_pem = await asyncio.to_thread(generate_rsa_keypair)
    password_hash = await asyncio.to_thread(hash_password, password) if password else None
    uri = urls.actor(username)
    return await Actor.create(
        uri=uri,
        local=True,
        actor_type="Person",
        username=username,
        domain=urls.domain,
        display_name=display_name or username,
        url=urls.profile(username),
        inbox=urls.inbox(username),
        shared_inbox=urls.shared_inbox,
        outbox=urls.outbox(username),
        followers_url=urls.followers(username),
        following_url=urls.following(username),
        featured_url=urls.featured(username),
        key_id=urls.key_id(uri),
        public_key_pem=public_pem,
        private_key_pem=private_pem,
        password_hash=password_hash,
        approved=approved,
        signup_reason=signup_reason,
        admin=admin,
    )


async def local_people() -> list[Actor]:
    return await Actor.filter(
        local=True, actor_type="Person", approved=True, deleted_at=None
    ).order_by("username")


async def local_person(username: str) -> Actor:
    """The local artist account of that name (any state), or a sentence saying there is none."""
    person = await Actor.get_or_none(local=True, actor_type="Person", username=username)
    if person is None:
        raise AccountError(
            f"there is no local account named {username!r} (see: cara-fed user list)"
        )
    return person


async def set_admin(username: str, admin: bool) -> tuple[Actor, bool]:
    """Grant or revoke the admin role: (the account, whether it changed). Only a member who
    can sign in may hold it; a sign-up still waiting is decided first."""
    person = await local_person(username)
    if not person.approved:
        raise AccountError(
            f"{username!r} is a sign-up still waiting: approve it first (cara-fed user approve)"
        )
    if person.admin == admin:
        return person, False
    person.admin = admin
    await person.save(update_fields=["admin"])
    return person, True
