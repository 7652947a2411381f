"""The connections in the PostgreSQL pool: no reset query on release.

tortoise takes a pooled connection for each statement run outside a transaction and gives it
back after, and asyncpg's pool then sends `SELECT pg_advisory_unlock_all(); CLOSE ALL;
UNLISTEN *; RESET ALL;` before anyone may take it again: one more round trip to the server
per statement, most of what the web process spent on a POST's database work and a share of
the worker's on every query (py-spy under bench/ingest.py). Nothing of cara-fed leaves such
state on a pooled connection: its one advisory lock (migrations) is held on a connection of
its own, and its one SET is SET TRANSACTION, which ends with the transaction. asyncpg still
rolls back a transaction left open and drops listeners on release, reset query or not.
"""

from __future__ import annotations

from asyncpg.connection import Connection


class PooledConnection(Connection):
    def get_reset_query(self) -> str:
        return ""
