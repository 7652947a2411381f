"""Following on the command line: follow and unfollow accounts here or elsewhere, and the
delivery queue that carries it all, per domain."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from cara_fed.cli.session import with_instance
from cara_fed.config import Config
from cara_fed.services import accounts, following
from cara_fed.store.db import database

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def cmd_follow(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        follower = await accounts.local_person(args.name)
        row, delivery_id = await following.follow(instance, follower, args.account)
        if delivery_id is None:  # an account of this server: decided already, or by hand
            print(f"{args.name} → {args.account}: {row.state}")
            return 0
        delivery = await instance.delivery.deliver_now(delivery_id)
        if delivery is not None and delivery.state != "done":
            print(
                f"the Follow is queued (the peer answered: {delivery.last_error}); "
                "the server's worker will retry"
            )
        state = await following.wait_for_answer(row, args.wait)
        print(f"{args.name} → {args.account}: {state}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_unfollow(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        follower = await accounts.local_person(args.name)
        await following.unfollow(instance, follower, args.account)
        print(f"{args.name} no longer follows {args.account}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_deliveries(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.services.reports import delivery_report

    async def run() -> int:
        async with database(config, create_schema=True):
            rows = await delivery_report()
        if not rows:
            print("no deliveries yet")
        else:
            print(f"{'domain':40} {'pending':>8} {'failing':>8} {'dead':>6} {'done':>6}")
            for r in rows:
                print(
                    f"{r.domain:40} {r.pending:>8} {r.failing:>8} {r.dead:>6} {r.done:>6}"
                    + (
                        f"  unavailable until {r.unavailable_until:%Y-%m-%d %H:%M}"
                        if r.unavailable_until
                        else ""
                    )
                )
        return 0

    return asyncio.run(run())


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    for verb, func, text in (
        ("follow", cmd_follow, "follow an account, here or on another server"),
        ("unfollow", cmd_unfollow, "stop following an account"),
    ):
        p = sub.add_parser(verb, parents=[common], help=text)
        p.add_argument("name")
        p.add_argument("account", help="a name here, user@host[:port], or an actor URL")
        if verb == "follow":
            p.add_argument(
                "--wait", type=float, default=5.0, help="seconds to wait for the Accept (default 5)"
            )
        p.set_defaults(func=func)

    sub.add_parser("deliveries", parents=[common], help="delivery queue per domain").set_defaults(
        func=cmd_deliveries
    )
