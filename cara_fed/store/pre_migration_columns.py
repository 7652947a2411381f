"""Columns added to existing tables before migrations existed, and how to add them: frozen.

Before migrations, start-up made missing tables (`generate_schemas(safe=True)`) and added
these columns to an older SQLite database. A database of those releases is brought to
migration 0001 with them (cara_fed/store/migrate.py); every later change is a migration."""

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
