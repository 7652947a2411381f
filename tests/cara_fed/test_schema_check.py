"""A database missing a column its migrations should have made is refused with a reason, not
failed on mid-request; a database made before migrations (no records of them) gets the
columns and indexes it lacks when it is migrated, and keeps its rows."""

from __future__ import annotations

import sqlite3

import pytest
from tortoise import Tortoise, connections

from cara_fed.config import load_config
from cara_fed.store.db import (
    MODELS,
    SchemaError,
    close_database,
    open_database,
    tortoise_config,
)
from cara_fed.store.migrate import INITIAL, Executor


async def test_a_table_missing_a_column_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await open_database(config, create_schema=True)
    await close_database()
    with sqlite3.connect(config.database_path) as db:
        db.execute("ALTER TABLE posts DROP COLUMN cloak_pending")
    with pytest.raises(SchemaError, match=r"table posts lacks cloak_pending.*from a backup"):
        await open_database(config, create_schema=True)


async def test_a_current_database_opens(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await open_database(config, create_schema=True)
    await close_database()
    await open_database(config)
    await close_database()


async def made_before_migrations(config) -> None:
    """The schema of the last release before migrations (migration 0001), without the
    record of migrations that release did not keep."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(config), _enable_global_fallback=True)
    try:
        await Executor(connections.get("default"), MODELS).migrate([INITIAL])
    finally:
        await close_database()
    with sqlite3.connect(config.database_path) as db:
        db.execute("DROP TABLE tortoise_migrations")


async def test_columns_added_since_are_added_on_open_and_keep_the_rows(tmp_path):
    """An instance made before titles, tags, pins, thumbnails and profile links opens after
    an upgrade: the new columns are added with their defaults and the old rows stay."""
    from cara_fed.store.pre_migration_columns import ADDED_COLUMNS

    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await made_before_migrations(config)
    with sqlite3.connect(config.database_path) as db:
        for table, columns in ADDED_COLUMNS.items():
            for column in columns:
                db.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        # A row as the older release wrote it, without the columns added since.
        db.execute(
            "INSERT INTO actors (uri, local, actor_type, username, domain, display_name, "
            "summary, inbox, key_id, public_key_pem, manually_approves_followers, "
            "discoverable, indexable, created_at) VALUES "
            "('https://x/users/a', 1, 'Person', 'a', 'x', 'A', '', 'https://x/users/a/inbox',"
            " 'k', 'pem', 0, 1, 0, '2026-01-01 00:00:00+00:00')"
        )
    await open_database(config, create_schema=True)
    await close_database()
    with sqlite3.connect(config.database_path) as db:
        for table, columns in ADDED_COLUMNS.items():
            have = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            assert set(columns) <= have, table
        row = db.execute(
            "SELECT username, links, feed_filters, approved, admin, cloak_review FROM actors"
        ).fetchone()
    assert row == ("a", "[]", "{}", 1, 0, 0)  # an upgraded database has no admin yet


async def test_indexes_a_database_made_before_migrations_lacks_are_created(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await made_before_migrations(config)

    def indexed_columns(db) -> set[tuple[str, ...]]:
        names = [r[1] for r in db.execute("PRAGMA index_list('media_attachments')")]
        return {tuple(c[2] for c in db.execute(f"PRAGMA index_info('{n}')")) for n in names}

    with sqlite3.connect(config.database_path) as db:
        assert ("post_id", "position") in indexed_columns(db)
        count = len(indexed_columns(db))
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
            "'media_attachments' AND sql LIKE '%position%'"
        ).fetchall():
            db.execute(f'DROP INDEX "{name}"')
        assert ("post_id", "position") not in indexed_columns(db)
    await open_database(config, create_schema=True)
    await close_database()
    with sqlite3.connect(config.database_path) as db:
        assert ("post_id", "position") in indexed_columns(db)
        assert len(indexed_columns(db)) == count  # created once, not twice
