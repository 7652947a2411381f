"""Group commit of inbound activities on a real SQLite file and on PostgreSQL: rows that
arrive together share a statement and its commit, duplicates are told apart, a burst larger
than a statement takes goes in several, and a failed write stores none of its batch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tortoise import connections
from tortoise.exceptions import OperationalError

from cara_fed.store import inbound_writer
from cara_fed.store.inbound_writer import InboundRow, InboundWriter
from cara_fed.store.models import InboundActivity

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def row(n: int) -> InboundRow:
    uri = f"https://peer.example/activities/{n}"
    return InboundRow(uri, "Create", "https://peer.example/users/a", {"id": uri}, NOW)


async def test_rows_arriving_together_share_a_transaction(each_database):
    writer = InboundWriter()
    results = await asyncio.gather(*(writer.store(row(n)) for n in range(50)))
    assert results == [True] * 50
    assert await InboundActivity.all().count() == 50
    # All 50 were queued before the writer's task first ran: one commit for all of them.
    assert writer.transactions == 1
    await writer.store(row(50))  # alone, it is written alone: no waiting for company
    assert writer.transactions == 2


async def test_a_duplicate_is_reported_as_such_whether_stored_before_or_in_the_same_batch(
    each_database,
):
    writer = InboundWriter()
    assert await writer.store(row(1)) is True
    results = await asyncio.gather(writer.store(row(2)), writer.store(row(1)), writer.store(row(2)))
    assert results == [True, False, False]
    uris = await InboundActivity.all().order_by("id").values_list("uri", flat=True)
    assert uris == [row(1).uri, row(2).uri]


async def test_a_burst_larger_than_one_statement_is_written_in_several(each_database, monkeypatch):
    monkeypatch.setattr(inbound_writer, "ROWS_PER_STATEMENT", 10)
    writer = InboundWriter()
    results = await asyncio.gather(*(writer.store(row(n)) for n in range(25)))
    assert results == [True] * 25 and writer.transactions == 3
    stored = await InboundActivity.all().order_by("id")
    assert [r.uri for r in stored] == [row(n).uri for n in range(25)]
    first = stored[0]
    assert (first.state, first.attempts, first.kind, first.body) == (
        "pending", 0, "Create", {"id": row(0).uri}
    )  # fmt: skip
    assert first.next_attempt_at == NOW and first.received_at > NOW


async def test_a_failed_write_raises_to_every_request_and_stores_nothing(database):
    writer = InboundWriter()
    connection = connections.get("default")
    await connection.execute_script("PRAGMA query_only = ON")
    results = await asyncio.gather(
        *(writer.store(row(n)) for n in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, OperationalError) for r in results), results
    await connection.execute_script("PRAGMA query_only = OFF")
    assert await InboundActivity.all().count() == 0
    assert await writer.store(row(7)) is True  # the writer recovers once the disk does
