"""Opening the database: one SQLite file in WAL mode shared by the server, worker and CLI (the
embedded default), or a PostgreSQL database named by `[database] url`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from urllib.parse import unquote, urlsplit

from tortoise import Tortoise

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.store.migrate import migrate, pending


class SchemaError(UserError):
    """The database needs migrations this process does not run."""


MODELS = {
    "models": {
        "models": [
            "cara_fed.store.models",
            "cara_fed.store.api_models",
            "cara_fed.store.safety_models",
            "cara_fed.store.import_models",
            "cara_fed.store.account_models",
        ],
        "default_connection": "default",
        "migrations": "cara_fed.store.schema_migrations",
    }
}


def _postgres(config: Config) -> dict:
    """asyncpg through tortoise. A commit returns once PostgreSQL has it on disk (its own
    synchronous_commit, on by default), which is what the 202 rule needs."""
    from cara_fed.store.pg_connection import PooledConnection  # asyncpg: PostgreSQL only

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
            "connection_class": PooledConnection,
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


def _quiet(message: str) -> None:
    """Migrations applied on a start are not news; `cara-fed migrate` and `init` print them."""


async def open_database(
    config: Config,
    *,
    create_schema: bool = False,
    synchronous: str = "FULL",
    log: Callable[[str], object] = _quiet,
) -> None:
    """`create_schema`: bring the schema up to date first (cara_fed/store/migrate.py), as
    `init`, the server and the CLI do; otherwise (a worker, a web process the server started)
    refuse a database that is not up to date."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    # The server opens the database in a startup hook and serves requests in other tasks: the
    # context must be process-wide, not bound to the task that opened it.
    await Tortoise.init(
        config=tortoise_config(config, synchronous=synchronous), _enable_global_fallback=True
    )
    try:
        if create_schema:
            await migrate(config, log=log)
        elif waiting := await pending():
            raise SchemaError(
                f"{config.database_name} is not up to date (migrations {', '.join(waiting)} "
                "wait): run `cara-fed migrate`"
            )
    except BaseException:
        await close_database()
        raise


async def close_database() -> None:
    await Tortoise.close_connections()


@asynccontextmanager
async def database(
    config: Config,
    *,
    create_schema: bool = False,
    synchronous: str = "FULL",
    log: Callable[[str], object] = _quiet,
) -> AsyncIterator[None]:
    await open_database(config, create_schema=create_schema, synchronous=synchronous, log=log)
    try:
        yield
    finally:
        await close_database()
