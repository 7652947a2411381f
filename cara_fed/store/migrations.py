"""Columns added to existing tables since the first release candidate, and how to add them.

`generate_schemas(safe=True)` creates new tables but never alters one. A column listed here is
added to an older database on start, with its default, so an upgrade keeps the data; a column
missing and not listed still stops the server with SchemaError (cara_fed/store/db.py)."""

from __future__ import annotations

# table -> column -> the SQLite column definition ALTER TABLE ADD COLUMN needs.
ADDED_COLUMNS: dict[str, dict[str, str]] = {
    "actors": {
        "links": "JSON NOT NULL DEFAULT '[]'",
        "feed_filters": "JSON NOT NULL DEFAULT '{}'",
        "approved": "INT NOT NULL DEFAULT 1",
        "signup_reason": "TEXT",
        "require_alt_text": "INT",
        "admin": "INT NOT NULL DEFAULT 0",
        "cloak_review": "INT NOT NULL DEFAULT 0",
    },
    "posts": {
        "title": "VARCHAR(200) NOT NULL DEFAULT ''",
        "tags": "JSON NOT NULL DEFAULT '[]'",
        "pinned_at": "TIMESTAMP",
        "cloak_strength": "VARCHAR(16)",
    },
    "media_attachments": {
        "thumb_file": "VARCHAR(255)",
        "thumb_width": "INT",
        "thumb_height": "INT",
    },
    "cloak_jobs": {
        "strength": "VARCHAR(16)",
    },
}


def additions(table: str, missing: set[str]) -> list[str]:
    """The ALTER statements that add the `missing` columns we know how to add."""
    known = ADDED_COLUMNS.get(table, {})
    return [
        f'ALTER TABLE "{table}" ADD COLUMN "{column}" {known[column]}'
        for column in sorted(missing)
        if column in known
    ]


async def add_missing_indexes(connection, models) -> None:
    """Indexes declared since a table was made: `generate_schemas` creates them only with
    the table. Tortoise's own statement (CREATE INDEX IF NOT EXISTS, its index names), so a
    new database is not indexed twice."""
    generator = connection.schema_generator(connection)
    for model in models:
        for columns in model._meta.indexes:
            if isinstance(columns, tuple | list):
                await connection.execute_script(
                    generator._get_index_sql(model, list(columns), safe=True)
                )
