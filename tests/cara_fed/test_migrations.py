"""Migrations (cara_fed/store/migrate.py): an instance of the previous release, with rows in
it, upgrades on SQLite and on PostgreSQL and loses nothing; an older SQLite database (made
before migrations and before several columns) too; the models and the migrations agree, and a
database built by replaying the migrations is the one the models describe; two processes
migrating at once apply each migration once; a process that does not migrate refuses a
database that needs it.

The past releases are committed dumps (tests/cara_fed/releases/, each saying how it was made).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from cara_fed.config import load_config
from cara_fed.services.throttle import Throttle
from cara_fed.store.db import MODELS, SchemaError, close_database, open_database, tortoise_config
from cara_fed.store.make_migration import changes
from cara_fed.store.migrate import RECORDS, Executor
from cara_fed.store.models import Actor, Post
from tests import postgres as pg

RELEASES = Path(__file__).parent / "releases"
REPO = Path(__file__).parents[2]
LATEST = sorted(p.stem for p in (REPO / "cara_fed/store/schema_migrations").glob("0*.py"))
# The release before migrations (the last one landed), and an older one that lacked columns.
PREVIOUS, OLDER = "e52de09", "08fd53c"


def config_at(root: Path, url: str = ""):
    root.mkdir(parents=True, exist_ok=True)
    (root / "instance.toml").write_text(
        '[instance]\nurl = "https://art.example"\n'
        + (f'[database]\nurl = "{url}"\n' if url else "")
    )
    return load_config(root / "instance.toml")


def load_sqlite(config, release: str) -> None:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(config.database_path)
    connection.executescript((RELEASES / f"{release}.sqlite.sql").read_text())
    connection.close()


# -- what a database holds, as comparable values ---------------------------------------------


def sqlite_rows(path: Path) -> dict[str, set[tuple]]:
    connection = sqlite3.connect(path)
    out = {}
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        f" AND name != '{RECORDS}'"
    )
    for (table,) in tables.fetchall():
        names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        rows = connection.execute(f'SELECT * FROM "{table}"')
        out[table] = {tuple(zip(names, row, strict=True)) for row in rows}
    connection.close()
    return out


def sqlite_schema(path: Path) -> dict[str, tuple]:
    """Per table: columns (name, type, not null, default, pk), indexes (name, unique,
    columns), foreign keys."""
    connection = sqlite3.connect(path)
    out = {}
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        f" AND name != '{RECORDS}'"
    ).fetchall()
    for (table,) in tables:
        columns = sorted(tuple(r[1:6]) for r in connection.execute(f'PRAGMA table_info("{table}")'))
        indexes = sorted(
            (r[1], r[2], tuple(c[2] for c in connection.execute(f'PRAGMA index_info("{r[1]}")')))
            for r in connection.execute(f'PRAGMA index_list("{table}")')
        )
        keys = sorted(
            tuple(r[2:]) for r in connection.execute(f'PRAGMA foreign_key_list("{table}")')
        )
        out[table] = (columns, indexes, keys)
    connection.close()
    return out


async def postgres_tables(connection) -> list[str]:
    rows = await connection.fetch(
        "SELECT table_name FROM information_schema.tables"
        f" WHERE table_schema = 'public' AND table_name != '{RECORDS}'"
    )
    return [table for (table,) in rows]


async def postgres_rows(url: str) -> dict[str, set[tuple]]:
    connection = await asyncpg.connect(url)
    try:
        out = {}
        for table in await postgres_tables(connection):
            out[table] = {
                tuple(r.items()) for r in await connection.fetch(f'SELECT * FROM "{table}"')
            }
        return out
    finally:
        await connection.close()


async def postgres_schema(url: str) -> dict[str, tuple]:
    connection = await asyncpg.connect(url)
    try:
        out = {}
        for table in await postgres_tables(connection):
            columns = sorted(
                tuple(r)
                for r in await connection.fetch(
                    "SELECT column_name, data_type, is_nullable, column_default,"
                    " character_maximum_length FROM information_schema.columns"
                    " WHERE table_name = $1",
                    table,
                )
            )
            indexes = sorted(
                tuple(r)
                for r in await connection.fetch(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", table
                )
            )
            constraints = sorted(
                tuple(r)
                for r in await connection.fetch(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = $1::regclass",
                    table,
                )
            )
            out[table] = (columns, indexes, constraints)
        return out
    finally:
        await connection.close()


def kept(before: dict[str, set[tuple]], after: dict[str, set[tuple]]) -> list:
    """Rows of `before` not found, with the same values in their old columns, in `after`."""
    missing = []
    for table, rows in before.items():
        if not rows:
            continue
        old_columns = {name for name, _ in next(iter(rows))}
        now = {tuple(kv for kv in row if kv[0] in old_columns) for row in after.get(table, set())}
        missing += [(table, row) for row in rows if row not in now]
    return missing


async def built_from_models(config) -> None:
    await open_database(config, create_schema=True)  # an empty database: from the models
    await close_database()


async def built_by_replaying(config) -> None:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(config), _enable_global_fallback=True)
    try:
        await Executor(connections.get("default"), MODELS).migrate()
    finally:
        await close_database()


def recorded_sqlite(config) -> list[str]:
    connection = sqlite3.connect(config.database_path)
    names = [n for (n,) in connection.execute(f"SELECT name FROM {RECORDS} ORDER BY name")]
    connection.close()
    return names


@pytest.fixture(autouse=True)
def _fresh_statements():
    """tortoise keeps each table's INSERT per connection name, not per database kind: these
    tests open SQLite and PostgreSQL in one process (as tests/conftest.py's do)."""
    EXECUTOR_CACHE.clear()


@pytest.fixture
def postgres_urls():
    """New, empty PostgreSQL databases, dropped after the test (skipped, saying why, where no
    server runs, except in CI)."""
    reason = pg.unavailable()
    if reason and not os.environ.get("CI"):
        pytest.skip(reason)
    made: list[str] = []

    def make() -> str:
        made.append(pg.create_database())
        return made[-1]

    yield make
    for url in made:
        pg.drop_database(url)


# -- the tests -----------------------------------------------------------------------------


async def test_the_models_and_the_migrations_agree():
    """A model changed without its migration fails here: `python -m
    cara_fed.store.make_migration NAME` writes it."""
    waiting = await changes()
    assert waiting == [], [writer.name for writer in waiting]


async def test_replaying_the_migrations_builds_what_the_models_describe_on_sqlite(tmp_path):
    replayed, direct = config_at(tmp_path / "replayed"), config_at(tmp_path / "direct")
    await built_by_replaying(replayed)
    await built_from_models(direct)
    assert sqlite_schema(replayed.database_path) == sqlite_schema(direct.database_path)
    assert recorded_sqlite(direct) == recorded_sqlite(replayed) == LATEST


async def test_replaying_the_migrations_builds_what_the_models_describe_on_postgres(
    tmp_path, postgres_urls
):
    replayed = config_at(tmp_path / "replayed", postgres_urls())
    direct = config_at(tmp_path / "direct", postgres_urls())
    await built_by_replaying(replayed)
    await built_from_models(direct)
    assert await postgres_schema(replayed.database.url) == await postgres_schema(
        direct.database.url
    )


async def test_the_previous_release_upgrades_on_sqlite_and_keeps_every_row(tmp_path):
    config = config_at(tmp_path / "site")
    load_sqlite(config, PREVIOUS)
    before = sqlite_rows(config.database_path)
    assert sum(len(rows) for rows in before.values()) >= 15
    await open_database(config, create_schema=True)
    try:
        alice = await Actor.get(username="alice")
        assert await Post.filter(author=alice).count() == 1
        await Throttle("login", 1, 60).failed(["name:alice"], datetime.now(UTC))  # a new table
    finally:
        await close_database()
    assert kept(before, sqlite_rows(config.database_path)) == []
    reference = config_at(tmp_path / "reference")
    await built_from_models(reference)
    assert sqlite_schema(config.database_path) == sqlite_schema(reference.database_path)
    assert recorded_sqlite(config) == LATEST


async def test_the_previous_release_upgrades_on_postgres_and_keeps_every_row(
    tmp_path, postgres_urls
):
    config = config_at(tmp_path / "site", postgres_urls())
    connection = await asyncpg.connect(config.database.url)
    try:
        await connection.execute((RELEASES / f"{PREVIOUS}.postgres.sql").read_text())
    finally:
        await connection.close()
    before = await postgres_rows(config.database.url)
    assert sum(len(rows) for rows in before.values()) >= 15
    await open_database(config, create_schema=True)
    try:
        assert await Post.filter(author__username="alice").count() == 1
        await Throttle("login", 1, 60).failed(["name:alice"], datetime.now(UTC))
    finally:
        await close_database()
    assert kept(before, await postgres_rows(config.database.url)) == []
    reference = config_at(tmp_path / "reference", postgres_urls())
    await built_from_models(reference)
    assert await postgres_schema(config.database.url) == await postgres_schema(
        reference.database.url
    )


async def test_an_older_sqlite_database_gets_the_columns_it_lacks_and_keeps_every_row(tmp_path):
    """Made before migrations and before several columns (cloak strengths, the cloak
    check, thumbnails' successors): the columns older starts added, then the migrations."""
    config = config_at(tmp_path / "site")
    load_sqlite(config, OLDER)
    before = sqlite_rows(config.database_path)
    await open_database(config, create_schema=True)
    await close_database()
    assert kept(before, sqlite_rows(config.database_path)) == []
    reference = config_at(tmp_path / "reference")
    await built_from_models(reference)
    upgraded, fresh = sqlite_schema(config.database_path), sqlite_schema(reference.database_path)
    assert upgraded.keys() == fresh.keys()
    for table, (columns, indexes, keys) in fresh.items():
        assert {c[0] for c in upgraded[table][0]} == {c[0] for c in columns}, table
        assert upgraded[table][1:] == (indexes, keys), table


def test_two_processes_migrating_at_once_apply_each_migration_once(tmp_path):
    config = config_at(tmp_path / "site")
    load_sqlite(config, PREVIOUS)
    command = [sys.executable, "-m", "cara_fed", "--config", str(config.path), "migrate"]
    runs = [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum("applied migration 0002" in out for out in outputs) == 1, outputs
    assert sum("is up to date" in out for out in outputs) == 1, outputs
    assert recorded_sqlite(config) == LATEST


async def test_a_process_that_does_not_migrate_refuses_a_database_that_needs_it(tmp_path):
    """A worker started beside a server of the previous release, say: it says what to run,
    and changes nothing."""
    config = config_at(tmp_path / "site")
    load_sqlite(config, PREVIOUS)
    before = sqlite_schema(config.database_path)
    with pytest.raises(SchemaError, match="run `cara-fed migrate`"):
        await open_database(config)
    assert sqlite_schema(config.database_path) == before
