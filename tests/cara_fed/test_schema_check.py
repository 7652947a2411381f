"""A database made by an older cara-fed is refused with a reason, not failed on mid-request."""

from __future__ import annotations

import sqlite3

import pytest

from cara_fed.config import load_config
from cara_fed.store.db import SchemaError, close_database, open_database


async def test_a_table_missing_a_column_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await open_database(config, create_schema=True)
    await close_database()
    with sqlite3.connect(config.database_path) as db:
        db.execute("ALTER TABLE posts DROP COLUMN cloak_pending")
    with pytest.raises(SchemaError, match=r"table posts lacks cloak_pending.*cara-fed init"):
        await open_database(config, create_schema=True)


async def test_a_current_database_opens(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\ndata_dir = "data"\n')
    config = load_config(tmp_path / "i.toml")
    await open_database(config, create_schema=True)
    await close_database()
    await open_database(config)
    await close_database()
