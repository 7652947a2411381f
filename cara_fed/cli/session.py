"""What CLI commands share: running a command's body against the database and a built
instance (its resolver signs fetches, its worker wakes the server's)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.services import accounts
from cara_fed.store.db import database
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance


class CommandError(UserError):
    """A failure the user can fix; printed as one line."""


async def with_instance(
    config: Config, body: Callable[[Instance], Awaitable[int]], *, synchronous: str = "FULL"
) -> int:
    # Imported here: it brings the whole server, which a command without an instance (user
    # add, say) need not load.
    from cara_fed.instance import build_instance

    async with database(config, create_schema=True, synchronous=synchronous):
        await accounts.ensure_instance_actor(config)
        instance = await build_instance(config)
        try:
            return await body(instance)
        finally:
            await instance.aclose()


MemberAction = Callable[["Instance", Actor, argparse.Namespace], Awaitable[int | None]]


def as_member(action: MemberAction) -> Callable[[Config, argparse.Namespace], int]:
    """A command that acts for the member `args.name` on a built instance: the action gets
    the instance, the member and the arguments (exit 0 unless it returns otherwise)."""

    def command(config: Config, args: argparse.Namespace) -> int:
        async def body(instance: Instance) -> int:
            member = await accounts.local_person(args.name)
            return await action(instance, member, args) or 0

        return asyncio.run(with_instance(config, body))

    return command
