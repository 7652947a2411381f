"""The PostgreSQL pool's connections (cara_fed/store/pg_connection.py) go back to the pool
without asyncpg's reset query, a round trip per statement; what the reset was there for still
holds: a transaction left open is rolled back before the connection is used again. Needs the
PostgreSQL server every machine of this project runs."""

from __future__ import annotations

from tortoise import connections

from cara_fed.store.models import InboundActivity
from cara_fed.store.pg_connection import PooledConnection


async def test_a_pooled_connection_goes_back_without_a_reset_query(postgres_database):
    client = connections.get("default")
    async with client.acquire_connection() as connection:
        assert isinstance(connection, PooledConnection)
        assert connection.get_reset_query() == ""
        await connection.execute("BEGIN")
        await connection.execute(
            "INSERT INTO inbound_activities (uri, kind, actor_uri, body, state, attempts,"
            " next_attempt_at, received_at) VALUES ('https://p.example/a/1', 'Create',"
            " 'https://p.example/u', '{}', 'pending', 0, now(), now())"
        )
        assert connection.is_in_transaction()
    # Given back mid-transaction: rolled back, not left open for the next statement.
    for _ in range(client._pool.get_size()):
        async with client.acquire_connection() as connection:
            assert not connection.is_in_transaction()
    assert await InboundActivity.all().count() == 0
