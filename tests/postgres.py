"""PostgreSQL for the tests that run on it (`--database postgres`): the server every machine
of this project has at 127.0.0.1:5432 (trust auth), a fresh database per test instance,
dropped afterwards. Queries from the tests go through asyncpg, which the server itself uses,
on a thread of their own so that they work from sync and async tests alike."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import uuid
from typing import Any

import asyncpg

SERVER = "postgres://postgres@127.0.0.1:5432"
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-tests")


def _run(coroutine) -> Any:
    return _pool.submit(asyncio.run, coroutine).result(timeout=60)


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{SERVER}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _ping() -> None:
    connection = await asyncpg.connect(f"{SERVER}/postgres", timeout=3)
    await connection.close()


def unavailable() -> str | None:
    """Why the PostgreSQL server cannot be used here, or None when it can."""
    try:
        _run(_ping())
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"PostgreSQL is not reachable at {SERVER}: {exc}"
    return None


def create_database() -> str:
    """A new, empty database; its URL."""
    name = f"cara_test_{uuid.uuid4().hex[:12]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    return f"{SERVER}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _numbered(sql: str) -> str:
    """The tests write SQLite's `?` placeholders; PostgreSQL numbers them."""
    count = iter(range(1, 1000))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


async def _query(url: str, sql: str, params: tuple) -> list[tuple]:
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(_numbered(sql), *params)]
    finally:
        await connection.close()


def query(url: str, sql: str, *params: Any) -> list[tuple]:
    return _run(_query(url, sql, params))


if __name__ == "__main__":  # scripts/test asks whether to run the PostgreSQL pass
    import sys

    reason = unavailable()
    print(reason or "available")
    sys.exit(1 if reason else 0)
