"""Bringing a database to the current schema: `cara-fed migrate` (also run by `init`, the
server's start and the CLI), with tortoise-orm's own migrations in
cara_fed/store/schema_migrations/.

Why tortoise's and not aerich: a tortoise migration is a list of operations that become SQL
for the database it runs on, so one set of files serves SQLite and PostgreSQL; aerich writes
the SQL of the database it was made against (its SQLite initial migration failed on
PostgreSQL at AUTOINCREMENT), and it needs a package and a table of its own.

Three starting points, one outcome:
- an empty database: the tables are made from the models at once (`generate_schemas`, as
  fast as before) and every migration is recorded as applied. Tests hold this honest: the
  models and the migrations agree, and a database built by the migrations has the same
  columns, indexes and constraints as one built from the models.
- a database made before migrations existed (tables, no `tortoise_migrations` rows): on
  SQLite the columns that older starts added (pre_migration_columns.py), then 0001 replayed
  creating only the tables and indexes that are missing, and recorded; then the rest.
- a migrated database: the migrations it has not had, in order.

Two faults of tortoise-orm 1.1.9 are mended here. On SQLite it split a migration's SQL at
every `;`, including those inside table comments made from model docstrings; and it alters a
column by rebuilding the table (DROP, then RENAME) with foreign keys on, which deleted every
row that referenced it (ON DELETE CASCADE): foreign keys are off while migrations run, and
checked after. The rebuild also drops that table's indexes: a migration that alters or
removes a column on SQLite must create them again (the schema test catches it).

One process migrates at a time (a lock file beside the SQLite file; an advisory lock on
PostgreSQL); the others wait, then find nothing to do.
"""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from tortoise.migrations.schema_editor import SqliteSchemaEditor

from cara_fed.config import Config
from cara_fed.store.pre_migration_columns import additions

INITIAL = MigrationTarget("models", "0001_initial")
RECORDS = "tortoise_migrations"
LOCK_KEY = 0x63617261  # "cara": the advisory lock's number on PostgreSQL


def split_sqlite(sql: str) -> list[str]:
    """The statements of a script, split only where SQLite says one ends."""
    statements, pending = [], ""
    for part in sql.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n\t;"):
        statements.append(pending.strip().rstrip(";"))
    return statements


class _SqliteEditor(SqliteSchemaEditor):
    async def _run_sql(self, sql: str) -> None:
        if self.collect_sql or not self.atomic_migration:
            await super()._run_sql(sql)
            return
        for statement in split_sqlite(sql):
            await self.client.execute_query(statement)


def _only_what_is_missing(editor):
    """The same editor, creating a table or index only where it does not exist: to replay
    0001 over a database `generate_schemas` made before migrations existed."""
    kind = type(editor)
    editor.__class__ = type(
        "IfMissing" + kind.__name__,
        (kind,),
        {
            "TABLE_CREATE_TEMPLATE": kind.TABLE_CREATE_TEMPLATE.replace(
                "CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1
            ),
            "INDEX_CREATE_TEMPLATE": kind.INDEX_CREATE_TEMPLATE.replace(
                "CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1
            ),
            "UNIQUE_INDEX_CREATE_TEMPLATE": kind.UNIQUE_INDEX_CREATE_TEMPLATE.replace(
                "CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1
            ),
        },
    )
    return editor


class Executor(MigrationExecutor):
    def __init__(self, connection, apps_config: dict, *, if_missing: bool = False) -> None:
        super().__init__(connection, apps_config)
        self._if_missing = if_missing

    async def migrate(self, *args, **kwargs) -> None:
        sqlite = self.connection.capabilities.dialect == "sqlite"
        if sqlite:
            await self.connection.execute_script("PRAGMA foreign_keys = OFF")
        try:
            await super().migrate(*args, **kwargs)
            if sqlite:
                broken = await self.connection.execute_query_dict("PRAGMA foreign_key_check")
                if broken:
                    raise RuntimeError(f"a migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                await self.connection.execute_script("PRAGMA foreign_keys = ON")

    def _schema_editor(self, atomic: bool = True, collect_sql: bool = False):
        if self.connection.capabilities.dialect == "sqlite":
            editor = _SqliteEditor(self.connection, atomic=atomic, collect_sql=collect_sql)
        else:
            editor = super()._schema_editor(atomic=atomic, collect_sql=collect_sql)
        # atomic=False is the recorder's own editor, which says IF NOT EXISTS itself.
        return _only_what_is_missing(editor) if self._if_missing and atomic else editor


def _apps_config() -> dict:
    from cara_fed.store.db import MODELS

    return MODELS


async def pending() -> list[str]:
    """The migrations the open database has not had (it is only read)."""
    connection = connections.get("default")
    executor = Executor(connection, _apps_config())
    if RECORDS not in await _tables(connection):
        await executor.loader.build_graph()
        return [key.name for key in executor._full_plan()]
    return [step.migration.name for step in await executor.plan()]


async def migrate(config: Config, *, log: Callable[[str], object] = lambda _: None) -> list[str]:
    """Bring the open database (Tortoise.init done) to the latest migration; returns the
    names of the migrations applied."""
    async with _one_at_a_time(config):
        return await _migrate(log)


async def _migrate(log: Callable[[str], object]) -> list[str]:
    connection = connections.get("default")
    executor = Executor(connection, _apps_config())
    await executor.recorder.ensure_schema(executor._schema_editor(atomic=False))
    applied: list[str] = []

    def progress(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)
            log(f"applied migration {name}")

    recorded = await executor.recorder.applied_migrations()
    tables = await _tables(connection) - {RECORDS, "sqlite_sequence"}
    if not recorded and not tables:
        await Tortoise.generate_schemas(safe=True)
        await executor.migrate(fake=True)
        return applied
    if not recorded:
        log("this database was made before migrations: bringing it to migration 0001")
        if connection.capabilities.dialect == "sqlite":
            await _add_pre_migration_columns(connection)
        baseline = Executor(connection, _apps_config(), if_missing=True)
        await baseline.migrate([INITIAL], progress=progress)
    await executor.migrate(progress=progress)
    await _check_columns(connection)
    return applied


async def _check_columns(connection) -> None:
    """Every column the models read is there: a database changed by hand (or by another
    program) is refused at start, with what is missing, not failed on mid-request."""
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        missing = set(model._meta.fields_db_projection.values()) - await columns(connection, table)
        if missing:
            from cara_fed.store.db import SchemaError

            raise SchemaError(
                f"table {table} lacks {', '.join(sorted(missing))}, though its migrations are "
                "recorded as applied: the database was changed outside cara-fed; restore it "
                "from a backup"
            )


async def _add_pre_migration_columns(connection) -> None:
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        have = await columns(connection, table)
        if have:
            missing = set(model._meta.fields_db_projection.values()) - have
            for statement in additions(table, missing):
                await connection.execute_script(statement)


@asynccontextmanager
async def _one_at_a_time(config: Config) -> AsyncIterator[None]:
    if config.on_postgres:
        # A connection of its own: the pool's connections change between queries, and an
        # advisory lock belongs to the session that took it.
        holder = await asyncpg.connect(config.database.url)
        try:
            await holder.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
            yield
        finally:
            await holder.close()  # ends the session, and its lock
        return
    path = config.database_path.with_name(config.database_path.name + ".migrate-lock")
    lock = await asyncio.to_thread(path.open, "a")
    try:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        yield
    finally:
        lock.close()  # closing the file lets the lock go


async def _tables(connection) -> set[str]:
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema()"
        )
    else:
        rows = await connection.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    return {row["name"] for row in rows}


async def columns(connection, table: str) -> set[str]:
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT column_name AS name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = $1",
            [table],
        )
    else:
        rows = await connection.execute_query_dict(f'PRAGMA table_info("{table}")')
    return {row["name"] for row in rows}
