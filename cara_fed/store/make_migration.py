"""For developers: write the migration that takes the schema from the last migration to the
models as they are now (what `tortoise makemigrations` does, without a second config):

    python -m cara_fed.store.make_migration add_something

Prints the file it wrote, or that the models and migrations already agree. Review the file:
on SQLite an altered or removed column rebuilds its table without its indexes (see
cara_fed/store/migrate.py)."""

from __future__ import annotations

import asyncio
import sys

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from cara_fed.store.db import MODELS

# The autodetector compares models with migrations only; it never connects to this.
SCRATCH = {
    "connections": {"default": "sqlite://:memory:"},
    "apps": MODELS,
    "use_tz": True,
    "timezone": "UTC",
}


async def changes() -> list:
    """What a new migration would hold (empty when the models and migrations agree)."""
    apps = {label: dict(app) for label, app in MODELS.items()}
    async with TortoiseContext() as context:
        await context.init(config=SCRATCH)
        return await MigrationAutodetector(context.apps, apps).changes()


def main(name: str) -> int:
    writers = asyncio.run(changes())
    if not writers:
        print("the models and the migrations agree: nothing to write")
        return 0
    for writer in writers:
        writer.name = f"{writer.name.split('_', 1)[0]}_{name}"
        print(f"wrote {writer.write()}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m cara_fed.store.make_migration NAME")
    sys.exit(main(sys.argv[1]))
