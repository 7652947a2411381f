"""`cara-fed user pending|approve|reject`: sign-ups waiting under `registrations = "approval"`."""

from __future__ import annotations

import argparse
import asyncio

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.store.db import database
from cara_fed.store.models import Actor


class SignupError(UserError):
    pass


async def _waiting(name: str) -> Actor:
    person = await Actor.get_or_none(local=True, username=name, approved=False)
    if person is None:
        raise SignupError(f"no sign-up named {name!r} is waiting (see: cara-fed user pending)")
    return person


def cmd_pending(config: Config, args: argparse.Namespace) -> int:
    async def run() -> list[Actor]:
        async with database(config, create_schema=True):
            return await Actor.filter(local=True, approved=False).order_by("created_at")

    waiting = asyncio.run(run())
    if not waiting:
        print("no sign-ups are waiting")
    for person in waiting:
        print(
            f"{person.username}\t{person.created_at:%Y-%m-%d %H:%M}\t{person.signup_reason or ''}"
        )
    return 0


def cmd_approve(config: Config, args: argparse.Namespace) -> int:
    async def run() -> None:
        async with database(config, create_schema=True):
            person = await _waiting(args.name)
            person.approved = True
            await person.save(update_fields=["approved"])

    asyncio.run(run())
    print(f"approved @{args.name}@{config.domain}: they can sign in now")
    return 0


def cmd_reject(config: Config, args: argparse.Namespace) -> int:
    """The account was never visible or federated, so deleting it tells no other server."""

    async def run() -> None:
        async with database(config, create_schema=True):
            await (await _waiting(args.name)).delete()

    asyncio.run(run())
    print(f"rejected the sign-up of {args.name}; the name is free again")
    return 0


def add_parsers(user_sub, common: argparse.ArgumentParser) -> None:
    user_sub.add_parser(
        "pending", parents=[common], help="sign-ups waiting for approval"
    ).set_defaults(func=cmd_pending)
    approve = user_sub.add_parser("approve", parents=[common], help="let a sign-up in")
    approve.add_argument("name")
    approve.set_defaults(func=cmd_approve)
    reject = user_sub.add_parser("reject", parents=[common], help="refuse a sign-up")
    reject.add_argument("name")
    reject.set_defaults(func=cmd_reject)
