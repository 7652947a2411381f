"""`cara-fed domain block|unblock|list`: the servers this instance does not federate with."""

from __future__ import annotations

import argparse
import asyncio
import json

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.media_storage import media_store_for
from cara_fed.services import domain_blocks
from cara_fed.store.db import database
from cara_fed.store.domain_blocks import BadDomain


class DomainCommandError(UserError):
    pass


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def cmd_block(config: Config, args: argparse.Namespace) -> int:
    async def run() -> domain_blocks.BlockOutcome:
        async with database(config, create_schema=True):
            return await domain_blocks.block(
                args.domain, args.reason or "", media_store_for(config)
            )

    try:
        outcome = asyncio.run(run())
    except BadDomain as exc:
        raise DomainCommandError(str(exc)) from None
    verb = "blocked" if outcome.new else "already blocked"
    print(
        f"{verb} {outcome.domain} and its subdomains: removed "
        f"{_count(outcome.accounts, 'account', 'accounts')} with their posts and follows, "
        f"{_count(outcome.deliveries, 'queued delivery', 'queued deliveries')}, "
        f"{_count(outcome.inbound, 'queued activity', 'queued activities')}. "
        "A running server applies it within 5 seconds."
    )
    return 0


def cmd_unblock(config: Config, args: argparse.Namespace) -> int:
    async def run() -> bool:
        async with database(config, create_schema=True):
            return await domain_blocks.unblock(args.domain)

    try:
        removed = asyncio.run(run())
    except BadDomain as exc:
        raise DomainCommandError(str(exc)) from None
    if not removed:
        raise DomainCommandError(f"{args.domain} is not blocked")
    print(f"unblocked {args.domain}: it may federate with this instance again")
    return 0


def cmd_list(config: Config, args: argparse.Namespace) -> int:
    async def run() -> list:
        async with database(config, create_schema=True):
            return await domain_blocks.blocks()

    rows = asyncio.run(run())
    if args.json:
        print(
            json.dumps(
                [
                    {"domain": r.domain, "reason": r.reason, "since": r.created_at.isoformat()}
                    for r in rows
                ],
                indent=2,
            )
        )
        return 0
    if not rows:
        print("no server is blocked")
    for row in rows:
        print(f"{row.domain}\t{row.created_at:%Y-%m-%d}\t{row.reason}")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    domain = sub.add_parser("domain", parents=[common], help="servers this instance blocks")
    domain_sub = domain.add_subparsers(dest="domain_command", required=True)
    block = domain_sub.add_parser(
        "block", parents=[common], help="stop federating with a server (and its subdomains)"
    )
    block.add_argument("domain", help="example.com, or host:port")
    block.add_argument("--reason", help="kept with the block, for the admins")
    block.set_defaults(func=cmd_block)
    unblock = domain_sub.add_parser("unblock", parents=[common], help="lift a block")
    unblock.add_argument("domain")
    unblock.set_defaults(func=cmd_unblock)
    listing = domain_sub.add_parser("list", parents=[common], help="the blocked servers")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)
