"""`cara-fed user pending|approve|reject`: sign-ups waiting under `registrations = "approval"`.
The decisions are cara_fed/services/signups.py's, shared with the web page /admin/signups."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable

from cara_fed.config import Config
from cara_fed.services import signups
from cara_fed.store.db import database
from cara_fed.store.models import Actor


def cmd_pending(config: Config, args: argparse.Namespace) -> int:
    async def run() -> list[Actor]:
        async with database(config, create_schema=True):
            return await signups.waiting_signups()

    waiting = asyncio.run(run())
    if not waiting:
        print("no sign-ups are waiting")
    for person in waiting:
        print(
            f"{person.username}\t{person.created_at:%Y-%m-%d %H:%M}\t{person.signup_reason or ''}"
        )
    return 0


def _run(config: Config, decision: Callable[[str], Awaitable[None]], name: str) -> None:
    async def run() -> None:
        async with database(config, create_schema=True):
            await decision(name)

    asyncio.run(run())


def cmd_approve(config: Config, args: argparse.Namespace) -> int:
    _run(config, signups.approve, args.name)
    print(f"approved @{args.name}@{config.domain}: they can sign in now")
    return 0


def cmd_reject(config: Config, args: argparse.Namespace) -> int:
    _run(config, signups.reject, args.name)
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
