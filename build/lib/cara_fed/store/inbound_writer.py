"""Group commit for the inbox: activities that arrive while a commit is on its way to disk are
written together in the next transaction, so a burst costs one fsync per batch instead of one
per activity, and each request is still answered only after its row is durable.

There is no waiting for a batch to fill: the first activity is written at once, and whatever
arrived during that write goes in the next. At low load this is one row per commit, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from cara_fed.store.models import InboundActivity


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
            batch, self._waiting = self._waiting, []
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
    """Insert the rows whose id is new, in one transaction; returns them by id."""
    fresh: dict[str, InboundRow] = {}
    for row in rows:
        fresh.setdefault(row.uri, row)
    try:
        async with in_transaction():
            known = await InboundActivity.filter(uri__in=list(fresh)).values_list("uri", flat=True)
            for uri in known:
                del fresh[uri]
            await InboundActivity.bulk_create(
                [InboundActivity(**row.__dict__) for row in fresh.values()]
            )
    except IntegrityError:
        # Another process stored one of them between our read and our write: one at a time.
        return await _write_one_by_one(list(fresh.values()))
    return fresh


async def _write_one_by_one(rows: list[InboundRow]) -> dict[str, InboundRow]:
    stored: dict[str, InboundRow] = {}
    for row in rows:
        try:
            await InboundActivity.create(**row.__dict__)
        except IntegrityError:
            continue
        stored[row.uri] = row
    return stored
