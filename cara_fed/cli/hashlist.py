"""`cara-fed hashlist subscribe|unsubscribe|list|sync|withdraw`: this instance's published
list of refused images and the other instances' lists it trusts."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING

from cara_fed.cli.session import with_instance
from cara_fed.config import Config
from cara_fed.services import hash_lists

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def _run(config: Config, body) -> int:
    return asyncio.run(with_instance(config, body))


def _skipped(skipped: list[str]) -> None:
    if skipped:
        print(f"  skipped {len(skipped)} malformed or unusable entries, for example:")
        for reason in skipped[:3]:
            print(f"    {reason}")


def cmd_subscribe(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        outcome, created = await hash_lists.subscribe(instance, args.url, args.action)
        verb = "subscribed to" if created else "updated the subscription to"
        print(
            f"{verb} {outcome.url}: {outcome.entries} entries; a match will {args.action} "
            f"the image. The worker re-reads it every "
            f"{config.screening.hash_list_sync_minutes:g} minutes."
        )
        _skipped(outcome.skipped)
        return 0

    return _run(config, body)


def cmd_unsubscribe(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        await hash_lists.unsubscribe(args.url)
        print(f"unsubscribed from {args.url}: its entries no longer match anything here")
        return 0

    return _run(config, body)


def cmd_sync(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        outcomes = await hash_lists.sync_named(instance, args.url)
        if not outcomes:
            print("no subscriptions to sync")
        failed = 0
        for outcome in outcomes:
            if outcome.error:
                failed += 1
                print(
                    f"{outcome.url}: not synced ({outcome.error}); "
                    f"the last copy ({outcome.entries} entries) stays in force"
                )
            else:
                print(f"{outcome.url}: synced, {outcome.entries} entries")
                _skipped(outcome.skipped)
        return 1 if failed else 0

    return _run(config, body)


def cmd_list(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        found = await hash_lists.summary(instance)
        subs = [
            {
                "url": s.url,
                "action": s.action,
                "entries": s.entries,
                "skipped": s.skipped,
                "synced_at": s.synced_at.isoformat() if s.synced_at else None,
                "next_sync_at": s.next_sync_at.isoformat(),
                "last_error": s.last_error,
            }
            for s in found.subscriptions
        ]
        if args.json:
            doc = {
                "own": {
                    "url": found.url,
                    "published": found.published,
                    "entries": found.listed,
                    "withdrawn": found.withdrawn,
                },
                "subscriptions": subs,
            }
            print(json.dumps(doc, indent=2))
            return 0
        state = "published at" if found.published else "not published ([screening] off); URL"
        print(
            f"this instance's list: {found.listed} entries ({found.withdrawn} withdrawn), "
            f"{state} {found.url}"
        )
        if not subs:
            print("no subscriptions")
        for s in subs:
            synced = s["synced_at"] or "never"
            print(f"{s['url']}  {s['action']}  {s['entries']} entries, synced {synced}")
            if s["last_error"]:
                print(f"  last sync failed: {s['last_error']}")
        return 0

    return _run(config, body)


def cmd_withdraw(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        await hash_lists.withdraw(instance, args.entry)
        print(
            f"withdrew entry {args.entry}: it matches nothing here now, and subscribers drop "
            "it at their next sync"
        )
        return 0

    return _run(config, body)


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    hashlist = sub.add_parser(
        "hashlist", parents=[common], help="shared lists of images refused as generated"
    )
    hl_sub = hashlist.add_subparsers(dest="hashlist_command", required=True)
    subscribe = hl_sub.add_parser(
        "subscribe", parents=[common], help="trust another instance's list"
    )
    subscribe.add_argument("url", help="the list's URL, e.g. https://other.example/hash-list")
    subscribe.add_argument(
        "--action",
        choices=hash_lists.ACTIONS,
        default="review",
        help=(
            "what a match does here: review (the default) holds the post for a moderator; "
            "refuse turns it away. PDQ can match two different pictures with the same layout "
            "(bench/RESULTS.md), so refuse only with lists you trust"
        ),
    )
    subscribe.set_defaults(func=cmd_subscribe)
    unsubscribe = hl_sub.add_parser("unsubscribe", parents=[common], help="stop trusting a list")
    unsubscribe.add_argument("url")
    unsubscribe.set_defaults(func=cmd_unsubscribe)
    sync = hl_sub.add_parser("sync", parents=[common], help="re-read subscribed lists now")
    sync.add_argument("url", nargs="?", help="only this list")
    sync.set_defaults(func=cmd_sync)
    listing = hl_sub.add_parser("list", parents=[common], help="this list and subscriptions")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)
    withdraw = hl_sub.add_parser(
        "withdraw", parents=[common], help="take an entry off this instance's list"
    )
    withdraw.add_argument("entry", type=int, help="the entry number (the end of its URL)")
    withdraw.set_defaults(func=cmd_withdraw)
