"""`cara-fed user admin NAME [--revoke]`: who may decide sign-ups on the web (/admin/signups).
A revoked admin loses the pages at their next request: sessions read the role each time."""

from __future__ import annotations

import argparse
import asyncio

from cara_fed.config import Config
from cara_fed.services.accounts import set_admin
from cara_fed.store.db import database


def cmd_admin(config: Config, args: argparse.Namespace) -> int:
    grant = not args.revoke

    async def run() -> bool:
        async with database(config, create_schema=True):
            _, changed = await set_admin(args.name, grant)
            return changed

    changed = asyncio.run(run())
    handle = f"@{args.name}@{config.domain}"
    if grant:
        print(f"{handle} is {'now' if changed else 'already'} an admin")
    else:
        print(f"{handle} is {'no longer' if changed else 'not'} an admin")
    return 0


def add_parsers(user_sub, common: argparse.ArgumentParser) -> None:
    admin = user_sub.add_parser(
        "admin", parents=[common], help="make a member an admin (or --revoke it)"
    )
    admin.add_argument("name")
    admin.add_argument("--revoke", action="store_true", help="take the admin role away")
    admin.set_defaults(func=cmd_admin)
