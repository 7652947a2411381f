"""Hand-written SQL for the few statements every inbound activity runs, on either database.

The ORM spends about 130 µs of Python building each query (bench/drain.py's profile: a
quarter of a worker's busy time went to tortoise's query builder), and some checks it can
only say as several queries that one statement says at once. Statements here are written
with `?` marks, which `numbered` turns into PostgreSQL's `$1, $2, …`; values are plain
Python values (tortoise registers SQLite's datetime adapter; asyncpg takes them as they are).
"""

from __future__ import annotations

from typing import Any

from tortoise.models import Model


def placeholders(dialect: str, count: int) -> list[str]:
    if dialect == "postgres":
        return [f"${n}" for n in range(1, count + 1)]
    return ["?"] * count


def numbered(sql: str, dialect: str) -> str:
    """`?` marks as the dialect wants them (the statements here hold no `?` in a string)."""
    if dialect != "postgres":
        return sql
    parts = sql.split("?")
    marks = placeholders(dialect, len(parts) - 1)
    return "".join(part + mark for part, mark in zip(parts, [*marks, ""], strict=True))


async def rows(model: type[Model], sql: str, values: list[Any]) -> list[dict]:
    """Run a statement on `model`'s connection (the transaction's, inside one) and return its
    rows; also for an UPDATE or INSERT with RETURNING (tortoise's asyncpg client drops
    those through execute_query)."""
    db = model._meta.db
    return await db.execute_query_dict(numbered(sql, db.capabilities.dialect), values)


async def exists(model: type[Model], where: str, values: list[Any]) -> bool:
    """Whether a row of `model` matches `where` (the ORM's exists() builds about 130 µs of
    SQL each time; the worker asks this several times an activity)."""
    sql = f'SELECT 1 AS found FROM "{model._meta.db_table}" WHERE {where} LIMIT 1'
    return bool(await rows(model, sql, values))


async def run(model: type[Model], sql: str, values: list[Any]) -> None:
    """Run a statement that returns no rows. (No count of the rows it changed: tortoise's
    asyncpg client reads an INSERT's as 0.)"""
    db = model._meta.db
    await db.execute_query(numbered(sql, db.capabilities.dialect), values)
