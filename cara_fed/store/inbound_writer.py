"""Group commit for the inbox: activities that arrive while a commit is on its way to disk are
written together in the next transaction, so a burst costs one fsync per batch instead of one
per activity, and each request is still answered only after its row is durable.

There is no waiting for a batch to fill: the first activity is written at once, and whatever
arrived during that write goes in the next. At low load this is one row per commit, as before.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cara_fed.store import raw_sql
from cara_fed.store.models import InboundActivity

# Rows a batch (one INSERT) takes at most: SQLite allows 32,766 values in a statement, and a
# row has six.
ROWS_PER_STATEMENT = 1000
_INSERT = (
    "INSERT INTO inbound_activities"
    " (uri, kind, actor_uri, body, state, attempts, next_attempt_at, received_at) VALUES {}"
    " ON CONFLICT (uri) DO NOTHING RETURNING uri"
)


@dataclass(frozen=True)
class InboundRow:
    uri: str
    kind: str
    actor_uri: str
    body: dict[str, Any]
    next_attempt_at: datetime


class InboundWriter:
    def __init__(self) -> None:
        self._waiting: list[tuple[InboundRow, asyncio.Future[bool]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self.transactions = 0  # how many commits the rows took: fewer than rows under load

    async def store(self, row: InboundRow) -> bool:
        """True once `row` is on disk; False if an activity with its id was already there.
        A database error is raised to every request of the batch: none of it was stored."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((row, future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._waiting:
            batch = self._waiting[:ROWS_PER_STATEMENT]
            self._waiting = self._waiting[ROWS_PER_STATEMENT:]
            self.transactions += 1
            try:
                new = await _write(row for row, _ in batch)
            except Exception as exc:  # handed to each request of the batch
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for row, future in batch:
                if not future.done():
                    future.set_result(new.pop(row.uri, None) is not None)


async def _write(rows: Iterable[InboundRow]) -> dict[str, InboundRow]:
    """Insert the rows whose id is new; returns them by id. One statement, committed on its
    own (the client is in autocommit), so a batch is stored whole or not at all: a read of
    the known ids, a bulk insert and a transaction around them were four round trips to the
    database a batch, on PostgreSQL the web process's costliest part of a POST. ON CONFLICT
    also covers another process storing the same activity meanwhile."""
    fresh: dict[str, InboundRow] = {}
    for row in rows:
        fresh.setdefault(row.uri, row)
    received = datetime.now(UTC)
    marks = ", ".join(["(?, ?, ?, ?, 'pending', 0, ?, ?)"] * len(fresh))
    values = [
        value
        for row in fresh.values()
        for value in (
            row.uri, row.kind, row.actor_uri, json.dumps(row.body), row.next_attempt_at, received
        )
    ]  # fmt: skip
    stored = {
        found["uri"] for found in await raw_sql.rows(InboundActivity, _INSERT.format(marks), values)
    }
    return {uri: row for uri, row in fresh.items() if uri in stored}
