"""Transactions that wait for another process's write instead of failing: every transaction
begins IMMEDIATE (cara_fed/store/sqlite_backend.py). With tortoise's deferred BEGIN, a
transaction that read, then saw another process commit, then wrote, failed at once with
`database is locked` in WAL mode, whatever the busy timeout (the inbox answered 503)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from cara_fed.store.models import InboundActivity

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def database_file() -> str:
    return connections.get("default").filename


def other_process_writes(path: str, started: threading.Event, done: list[float]) -> None:
    """A second writer (as the CLI is), with a busy timeout of its own."""
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    started.set()
    db.execute(
        "INSERT INTO inbound_activities (uri, kind, actor_uri, body, state, attempts, "
        "next_attempt_at, received_at) VALUES ('https://peer.example/a/2', 'Create', "
        "'https://peer.example/u', '{}', 'pending', 0, ?, ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    done.append(time.monotonic())
    db.close()


async def test_a_transaction_that_reads_then_writes_waits_out_another_writer(database):
    done: list[float] = []
    started = threading.Event()
    path = database_file()
    async with in_transaction():
        assert await InboundActivity.all().count() == 0  # a read first, as the inbox does
        other = threading.Thread(target=other_process_writes, args=(path, started, done))
        other.start()
        started.wait(5)
        await asyncio.sleep(0.3)  # the other writer is now waiting for our lock, or committed
        assert done == []  # it waits: our transaction holds the write lock since BEGIN
        await InboundActivity.create(
            uri="https://peer.example/a/1",
            kind="Create",
            actor_uri="https://peer.example/u",
            body={},
            next_attempt_at=NOW,
        )
        committed = time.monotonic()
    await asyncio.to_thread(other.join, 10)
    assert done and done[0] >= committed  # it wrote after we committed, not before
    assert await InboundActivity.all().count() == 2  # both writes are there


async def test_a_lock_not_had_in_time_is_an_operational_error_and_frees_the_connection(
    database,
):
    holder = sqlite3.connect(database_file(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    connection = connections.get("default")
    await connection.execute_script("PRAGMA busy_timeout = 200")
    try:
        with pytest.raises(OperationalError):
            async with in_transaction():
                await InboundActivity.all().count()
    finally:
        holder.rollback()
        holder.close()
    async with in_transaction():  # the connection's lock was given back: this does not hang
        assert await InboundActivity.all().count() == 0
