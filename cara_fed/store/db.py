"""Opening the database: one SQLite file in WAL mode shared by the server, worker and CLI (the
embedded default), or a PostgreSQL database named by `[database] url`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote, urlsplit

from tortoise import Tortoise, connections

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.store.migrations import add_missing_indexes, additions


class SchemaError(UserError):
    """The database file was made by another version of cara-fed."""


MODELS = {
    "models": {
        "models": ["cara_fed.store.models", "cara_fed.store.api_models"],
        "default_connection": "default",
    }
}


def _postgres(config: Config) -> dict:
    """asyncpg through tortoise. A commit returns once PostgreSQL has it on disk (its own
    synchronous_commit, on by default), which is what the 202 rule needs."""
    parts = urlsplit(config.database.url)
    return {
        "engine": "tortoise.backends.asyncpg",
        "credentials": {
            "host": parts.hostname,
            "port": parts.port or 5432,
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "database": unquote(parts.path.lstrip("/")),
            "minsize": 1,
            "maxsize": config.database.pool_size,
        },
    }


def tortoise_config(config: Config, *, synchronous: str = "FULL") -> dict:
    if config.on_postgres:
        return {
            "connections": {"default": _postgres(config)},
            "apps": MODELS,
            "use_tz": True,
            "timezone": "UTC",
        }
    return {
        "connections": {
            "default": {
                "engine": "cara_fed.store.sqlite_backend",
                "credentials": {
                    "file_path": str(config.database_path),
                    "journal_mode": "WAL",
                    # FULL: a commit is on disk before we answer 202 (invariant 1), even
                    # through power loss; NORMAL would only survive a process crash. The
                    # worker process alone uses NORMAL (see WORKER_SYNCHRONOUS).
                    "synchronous": synchronous,
                    # The CLI and the server write the same file: wait for the lock, not fail.
                    "busy_timeout": 10000,
                    "foreign_keys": "ON",
                },
            }
        },
        "apps": MODELS,
        "use_tz": True,
        "timezone": "UTC",
    }


# The worker acknowledges nothing to anyone: what it writes (a post from a stored Create, an
# Accept to send, a row marked done) follows from rows already on disk. In WAL mode NORMAL
# loses, on power loss only, the last commits, in order: a row's "done" goes with what its
# handler wrote, so the row is handled again on restart. The fsync it saves was taken while
# holding the write lock the inbox's group commit waits for.
WORKER_SYNCHRONOUS = "NORMAL"


async def open_database(
    config: Config, *, create_schema: bool = False, synchronous: str = "FULL"
) -> None:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    # The server opens the database in a startup hook and serves requests in other tasks: the
    # context must be process-wide, not bound to the task that opened it.
    await Tortoise.init(
        config=tortoise_config(config, synchronous=synchronous), _enable_global_fallback=True
    )
    if create_schema:
        await Tortoise.generate_schemas(safe=True)
    await _check_columns(config)
    if create_schema:
        await add_missing_indexes(connections.get("default"), Tortoise.apps["models"].values())


async def _check_columns(config: Config) -> None:
    """generate_schemas(safe=True) creates missing tables but never alters one: add the
    columns we know how to add (cara_fed/store/migrations.py), and say so plainly about any
    other instead of failing mid-request."""
    connection = connections.get("default")
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        have = await _columns(connection, table)
        if not have:
            continue  # not created yet: `init` or `serve` creates it
        missing = set(model._meta.fields_db_projection.values()) - have
        if not config.on_postgres:  # PostgreSQL support is newer than every listed column
            for statement in additions(table, missing):
                await connection.execute_script(statement)
        missing = sorted(missing - await _columns(connection, table))
        if missing:
            await close_database()
            raise SchemaError(
                f"{config.database_name} was made by an older cara-fed: table {table} lacks "
                f"{', '.join(missing)}. This pre-release has no migrations yet; move the data "
                "directory aside and run `cara-fed init` again"
            )


async def _columns(connection, table: str) -> set[str]:
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = $1",
            [table],
        )
        return {row["column_name"] for row in rows}
    rows = await connection.execute_query_dict(f'PRAGMA table_info("{table}")')
    return {row["name"] for row in rows}


async def close_database() -> None:
    await Tortoise.close_connections()


@asynccontextmanager
async def database(
    config: Config, *, create_schema: bool = False, synchronous: str = "FULL"
) -> AsyncIterator[None]:
    await open_database(config, create_schema=create_schema, synchronous=synchronous)
    try:
        yield
    finally:
        await close_database()
