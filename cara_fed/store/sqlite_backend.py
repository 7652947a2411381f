"""SQLite for several writing processes: every transaction takes the write lock when it begins.

The server, a separate worker and the CLI write the same file. tortoise begins a transaction
with a plain (deferred) `BEGIN`: it reads, then tries to write, and if another process
committed in between, SQLite in WAL mode answers `database is locked` at once, whatever the
busy timeout says, since waiting could not make its snapshot current (FACTS.md). A soak saw
61 inbox POSTs answered 503 this way while `cara-fed post` wrote. `BEGIN IMMEDIATE` takes the
write lock first, so it waits for it within the busy timeout like any single write.

The transaction rule lives here, in the engine named by store/db.py, and nowhere else."""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError

BEGIN = "BEGIN IMMEDIATE"


class ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute(BEGIN)
        except sqlite3.OperationalError as exc:  # the lock not had within the busy timeout
            raise OperationalError(exc) from exc


class ImmediateTransactionContext(SqliteTransactionContext):
    """tortoise's context, except that a BEGIN that fails (the lock not had in time) gives
    the connection's lock back: tortoise's would keep it, and every later transaction of
    this process would wait for it forever."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return ImmediateTransactionContext(ImmediateTransaction(self), self._lock)

    @translate_exceptions
    async def execute_many(self, query: str, values: list[list]) -> None:
        """bulk_create outside a transaction: tortoise wraps it in a BEGIN of its own."""
        async with self.acquire_connection() as connection:
            self.log.debug("%s: %s", query, values)
            await connection.execute(BEGIN)
            try:
                await connection.executemany(query, values)
            except Exception:
                await connection.rollback()
                raise
            else:
                await connection.commit()


client_class = ImmediateSqliteClient
