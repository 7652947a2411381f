"""What an admin does to a member's account from the CLI: set their password
(`user password NAME --password-stdin`, the way back in when the instance sends no mail),
their address (`user email NAME [ADDRESS]`), turn off two-factor for a lost phone
(`user two-factor NAME --off`, as Mastodon's `tootctl accounts modify --disable-2fa`),
suspend and unsuspend (`user suspend|unsuspend NAME`), and delete (`user delete NAME --yes`).
The decisions are the services', the same as on the web."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cara_fed.cli.session import CommandError, as_member
from cara_fed.services import account_deletion, emails, passwords, suspension, two_factor
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def _password(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    if not args.password_stdin:
        raise CommandError("give the new password on standard input with --password-stdin")
    ended = await passwords.set_password(
        member, sys.stdin.readline().rstrip("\n"), revoke_apps=args.revoke_apps
    )
    apps = f", {ended.apps} app token(s) revoked" if args.revoke_apps else ""
    print(f"password set for @{member.username}; {ended.sessions} web session(s) ended{apps}")
    return 0


async def _email(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    if args.address is None:
        print(await emails.address_of(member) or f"@{member.username} has no email address")
        return 0
    stored = await emails.set_address(member, args.address)
    print(f"@{member.username}'s address is {stored}" if stored else
          f"@{member.username}'s address is removed")  # fmt: skip
    return 0


async def _two_factor(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    if args.off:
        removed = await two_factor.remove(member)
        print(f"two-factor sign-in {'turned off' if removed else 'was not on'} for "
              f"@{member.username}")  # fmt: skip
        return 0
    on = await two_factor.enabled(member)
    print(f"two-factor sign-in is {'on' if on else 'off'} for @{member.username}")
    return 0


async def _delete(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    if not args.yes:
        raise CommandError(f"this deletes @{member.username} for good: add --yes to go on")
    done = await account_deletion.delete_account(instance, member)
    print(f"deleted @{member.username}: {done.works} work(s), {done.files} file(s); a Delete "
          f"goes to {done.servers} server inbox(es)")  # fmt: skip
    return 0


def _suspension(lift: bool):
    async def run(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
        if lift:
            await suspension.unsuspend(instance, member)
            print(f"@{member.username} is no longer suspended; their followers' servers are told")
        else:
            await suspension.suspend(instance, member)
            print(f"@{member.username} is suspended; their followers' servers are told")
        return 0

    return run


def add_parsers(user_sub, common: argparse.ArgumentParser) -> None:
    password = user_sub.add_parser(
        "password", parents=[common], help="set a member's password (ends their sessions)"
    )
    password.add_argument("name")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the new password from stdin"
    )
    password.add_argument(
        "--revoke-apps", action="store_true", help="also sign out every app of theirs"
    )
    password.set_defaults(func=as_member(_password))
    email = user_sub.add_parser("email", parents=[common], help="show or set a member's address")
    email.add_argument("name")
    email.add_argument("address", nargs="?", help='the new address ("" removes it)')
    email.set_defaults(func=as_member(_email))
    second = user_sub.add_parser(
        "two-factor", parents=[common], help="whether a member's sign-in asks for a code"
    )
    second.add_argument("name")
    second.add_argument("--off", action="store_true", help="turn it off (a lost phone)")
    second.set_defaults(func=as_member(_two_factor))
    delete = user_sub.add_parser(
        "delete", parents=[common], help="delete a member's account and tell other servers"
    )
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="yes, for good")
    delete.set_defaults(func=as_member(_delete))
    for verb, lift, help_text in (
        ("suspend", False, "suspend a member: no sign-in, pages 403, peers told"),
        ("unsuspend", True, "lift a suspension"),
    ):
        command = user_sub.add_parser(verb, parents=[common], help=help_text)
        command.add_argument("name")
        command.set_defaults(func=as_member(_suspension(lift)))
