"""What CLI commands share: running a command's body against the database and a built
instance (its resolver signs fetches, its worker wakes the server's)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.instance import Instance, build_instance
from cara_fed.services import accounts
from cara_fed.store.db import database


class CommandError(UserError):
    """A failure the user can fix; printed as one line."""


async def with_instance(
    config: Config, body: Callable[[Instance], Awaitable[int]], *, synchronous: str = "FULL"
) -> int:
    async with database(config, create_schema=True, synchronous=synchronous):
        await accounts.ensure_instance_actor(config)
        instance = await build_instance(config)
        try:
            return await body(instance)
        finally:
            await instance.aclose()
