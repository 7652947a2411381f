"""A member's safety tools on the command line, for the admin acting for them: block and mute
accounts, block servers for one member, and the reports queue (a member's reports and peers'
Flags): list, show, resolve, forward."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from cara_fed.cli.session import as_member, with_instance
from cara_fed.config import Config
from cara_fed.services import abuse_reports, accounts, blocks
from cara_fed.store.abuse_reports import open_reports
from cara_fed.store.blocks import blocked_domains
from cara_fed.store.models import Actor
from cara_fed.store.safety_models import Report

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def _blocking(lift: bool):
    """`block` and `unblock`: of an account, or with --domain of a whole server."""
    verb = "no longer blocks" if lift else "blocks"

    @as_member
    async def command(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
        if args.domain:
            change = blocks.unblock_domain if lift else blocks.block_domain
            domain = await change(instance, member, args.account)
            print(f"{args.name} {verb} the server {domain}")
        else:
            change = blocks.unblock if lift else blocks.block
            target = await change(instance, member, args.account)
            print(f"{args.name} {verb} {target.handle}")

    return command


@as_member
async def cmd_mute(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    notifications = not args.keep_notifications
    target = await blocks.mute(instance, member, args.account, notifications=notifications)
    also = "" if notifications else " (their notifications still shown)"
    print(f"{args.name} mutes {target.handle}{also}")


@as_member
async def cmd_unmute(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    target = await blocks.unmute(member, args.account)
    print(f"{args.name} no longer mutes {target.handle}")


@as_member
async def cmd_blocks(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    lines = [f"blocked   {a.handle}" for a in await blocks.blocked_accounts(member)]
    lines += [
        f"muted     {m.target.handle}" + ("" if m.notifications else "  (notifications on)")
        for m in await blocks.muted_accounts(member)
    ]
    lines += [f"server    {d}" for d in await blocked_domains(member)]
    print("\n".join(lines) if lines else f"{args.name} blocks and mutes no one")


def _describe(row: Report) -> str:
    by = "a member here" if row.origin == "local" else f"{row.reporter.domain} (Flag)"
    state = row.state + (", forwarded" if row.forwarded_at else "")
    return f"#{row.pk:<5} {state:20} about {row.account.handle}  from {by}"


def cmd_report(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        if args.action == "list":
            rows = (
                await Report.all().order_by("id").prefetch_related("reporter", "account")
                if args.all
                else await open_reports()
            )
            print("\n".join(_describe(r) for r in rows) if rows else "no open reports")
        elif args.action == "show":
            row = await abuse_reports.report_named(args.id)
            print(_describe(row))
            reporter = row.reporter.handle if row.origin == "local" else row.reporter.uri
            print(f"reported by: {reporter}")
            print(f"account:     {row.account.uri}")
            for uri in row.post_uris:
                print(f"post:        {uri}")
            print(f"comment:     {row.comment or '(none)'}")
            if row.resolution:
                print(f"resolution:  {row.resolution}")
        elif args.action == "resolve":
            row = await abuse_reports.resolve(instance, args.id, args.note or "")
            print(f"report #{row.pk} resolved")
        elif args.action == "forward":
            row = await abuse_reports.forward(instance, args.id)
            print(f"report #{row.pk} forwarded to {row.account.domain} as the instance")
        else:  # file
            member = await accounts.local_person(args.name)
            row = await abuse_reports.report(
                instance, member, args.account, args.post or [], args.comment or ""
            )
            print(f"report #{row.pk} filed about {row.account.handle}")
        return 0

    return asyncio.run(with_instance(config, body))


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    for verb, func, text in (
        ("block", _blocking(False), "a member blocks an account (or, with --domain, a server)"),
        ("unblock", _blocking(True), "lift a member's block"),
        ("mute", cmd_mute, "a member mutes an account"),
        ("unmute", cmd_unmute, "lift a member's mute"),
    ):
        p = sub.add_parser(verb, parents=[common], help=text)
        p.add_argument("name")
        p.add_argument("account", help="a name here, user@host[:port], an actor URL or a server")
        if verb in ("block", "unblock"):
            p.add_argument("--domain", action="store_true", help="ACCOUNT is a whole server")
        if verb == "mute":
            p.add_argument(
                "--keep-notifications",
                action="store_true",
                help="still show their notifications (default: hidden too)",
            )
        p.set_defaults(func=func)
    p = sub.add_parser("blocks", parents=[common], help="whom a member blocks and mutes")
    p.add_argument("name")
    p.set_defaults(func=cmd_blocks)

    report = sub.add_parser("report", parents=[common], help="reports for the admins")
    actions = report.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", parents=[common], help="open reports (--all: every one)")
    listing.add_argument("--all", action="store_true")
    for verb, text in (
        ("show", "one report, whole"),
        ("resolve", "mark a report dealt with"),
        ("forward", "send a member's report on to the account's server, as the instance"),
    ):
        p = actions.add_parser(verb, parents=[common], help=text)
        p.add_argument("id", type=int)
        if verb == "resolve":
            p.add_argument("--note", help="what was done, for the record")
    filing = actions.add_parser("file", parents=[common], help="a member reports an account")
    filing.add_argument("name")
    filing.add_argument("account")
    filing.add_argument("--post", action="append", help="a reported post's URL (repeatable)")
    filing.add_argument("--comment", help="what is wrong, for the admins")
    for p in (listing, *actions.choices.values()):
        p.set_defaults(func=cmd_report)
