"""Local accounts on the command line: create, list and edit them (a profile edit is sent to
peers), and decide the follow requests of an account that approves its followers."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cara_fed.cli import account_admin as cli_account_admin
from cara_fed.cli import moves as cli_moves
from cara_fed.cli import roles as cli_roles
from cara_fed.cli import signups as cli_signups
from cara_fed.cli.session import CommandError, with_instance
from cara_fed.config import Config
from cara_fed.services import accounts, emails, follow_requests, profile
from cara_fed.store.db import database
from cloak.content_credentials import MADE_AS

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def cmd_user_add(config: Config, args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            raise CommandError("the password must be at least 8 characters")

    async def run() -> int:
        async with database(config, create_schema=True):
            await accounts.ensure_instance_actor(config)
            address = await emails.free_address(args.email) if args.email else None
            actor = await accounts.create_account(
                config,
                args.name,
                display_name=args.display_name or "",
                password=password,
                admin=args.admin,
            )
            if address:
                await emails.set_address(actor, address)
        print(f"created @{actor.username}@{config.domain}{' (admin)' if actor.admin else ''}")
        print(f"  profile: {actor.url}")
        print(f"  actor:   {actor.uri}")
        return 0

    return asyncio.run(run())


def cmd_user_list(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            people = await accounts.local_people()
        if not people:
            print("no accounts yet: cara-fed user add NAME")
        for person in people:
            role = "\tadmin" if person.admin else ""
            print(f"@{person.username}@{config.domain}\t{person.display_name}\t{person.uri}{role}")
        return 0

    return asyncio.run(run())


def _read_file(path: str | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read the {what} {path}: {exc.strerror}") from None


def cmd_user_edit(config: Config, args: argparse.Namespace) -> int:
    change = profile.ProfileChange(
        display_name=args.display_name,
        bio=args.bio,
        avatar=_read_file(args.avatar, "avatar"),
        header=_read_file(args.header, "header"),
        manually_approves_followers=args.approve_followers,
        discoverable=args.discoverable,
        cloak_images=args.cloak,
        cloak_review=args.cloak_review,
        require_alt_text=args.require_alt_text,
        made_as=args.made_as,
    )

    async def body(instance: Instance) -> int:
        actor = await accounts.local_person(args.name)
        await profile.edit_profile(instance, actor, change)
        told = "; followers' servers are told" if change.federated() else ""
        print(f"updated @{actor.username}@{config.domain}{told}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_follow_requests(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            person = await accounts.local_person(args.name)
            requests = await follow_requests.pending_requests(person)
        if not requests:
            print(f"no pending follow requests for {args.name}")
        for request in requests:
            print(f"{request.follower.handle}\t{request.follower.uri}")
        return 0

    return asyncio.run(run())


def _decide(accept: bool):
    def command(config: Config, args: argparse.Namespace) -> int:
        async def body(instance: Instance) -> int:
            local = await accounts.local_person(args.name)
            await follow_requests.decide(instance, local, args.account, accept=accept)
            print(f"{'approved' if accept else 'rejected'} {args.account}")
            return 0

        return asyncio.run(with_instance(config, body))

    return command


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    user = sub.add_parser("user", parents=[common], help="local accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", parents=[common], help="create a local account")
    add.add_argument("name")
    add.add_argument("--display-name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read a password for web sign-in from the first line of stdin",
    )
    add.add_argument("--admin", action="store_true", help="let them decide sign-ups on the web")
    add.add_argument("--email", help="where a password reset link goes")
    add.set_defaults(func=cmd_user_add)
    user_sub.add_parser("list", parents=[common], help="list local accounts").set_defaults(
        func=cmd_user_list
    )
    cli_signups.add_parsers(user_sub, common)
    cli_roles.add_parsers(user_sub, common)
    cli_moves.add_parsers(user_sub, common)
    cli_account_admin.add_parsers(user_sub, common)
    _add_edit_parser(user_sub, common)
    requests = sub.add_parser(
        "follow-requests", parents=[common], help="pending follow requests of an account"
    )
    requests.add_argument("name")
    requests.set_defaults(func=cmd_follow_requests)
    for verb, accept in (("approve", True), ("reject", False)):
        p = sub.add_parser(verb, parents=[common], help=f"{verb} a follow request")
        p.add_argument("name")
        p.add_argument("account", help="the follower's user@host or actor URL")
        p.set_defaults(func=_decide(accept))


def _add_edit_parser(user_sub, common: argparse.ArgumentParser) -> None:
    edit = user_sub.add_parser("edit", parents=[common], help="edit a profile (sent to peers)")
    edit.add_argument("name")
    edit.add_argument("--display-name")
    edit.add_argument("--bio")
    edit.add_argument("--avatar", metavar="PATH")
    edit.add_argument("--header", metavar="PATH")
    edit.add_argument(
        "--approve-followers",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="require approval of new followers",
    )
    edit.add_argument("--discoverable", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument(
        "--cloak",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="cloak this artist's published images (default: [cloak] artist_default)",
    )
    edit.add_argument(
        "--cloak-review",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="hold cloaked works until the artist presses Publish on the web (default: no)",
    )
    edit.add_argument(
        "--require-alt-text",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="refuse this artist's uploads without alt text (default: [media] require_alt_text)",
    )
    edit.add_argument(
        "--made-as",
        choices=MADE_AS,
        help="how this artist's works are made, declared in their Content Credentials unless "
        "a work says otherwise (default: digital)",
    )
    edit.set_defaults(func=cmd_user_edit)
