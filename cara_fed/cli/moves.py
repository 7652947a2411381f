"""`cara-fed user alias NAME ACCOUNT [--remove]`, `user aliases NAME` and `user move NAME
ACCOUNT`: account migration on the command line, as on the web's /settings/move."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cara_fed.cli.session import as_member
from cara_fed.services import moves
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance


@as_member
async def cmd_alias(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    if args.remove:
        uri = await moves.remove_alias(instance, member, args.account)
        print(f"{uri} is no longer an alias of {args.name}")
    else:
        alias = await moves.add_alias(instance, member, args.account)
        print(f"{alias.handle} may now move to {args.name}")


@as_member
async def cmd_aliases(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    listed = await moves.aliases_of(member)
    print("\n".join(h for _, h in listed) if listed else f"{args.name} has no aliases")
    if member.moved_to:
        print(f"moved to {member.moved_to}")


@as_member
async def cmd_move(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    target = await moves.move_away(instance, member, args.account)
    print(f"{args.name} moved to {target.handle}; their followers are told")


def add_parsers(user_sub, common: argparse.ArgumentParser) -> None:
    alias = user_sub.add_parser(
        "alias", parents=[common], help="an account the member moves from (alsoKnownAs)"
    )
    alias.add_argument("name")
    alias.add_argument("account", help="user@host[:port] or an actor URL")
    alias.add_argument("--remove", action="store_true")
    alias.set_defaults(func=cmd_alias)
    listing = user_sub.add_parser("aliases", parents=[common], help="a member's aliases")
    listing.add_argument("name")
    listing.set_defaults(func=cmd_aliases)
    move = user_sub.add_parser(
        "move", parents=[common], help="move a member to another account, with their followers"
    )
    move.add_argument("name")
    move.add_argument("account", help="the new account: it must list this one as an alias")
    move.set_defaults(func=cmd_move)
