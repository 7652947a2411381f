"""Every row of the database as plain JSON values, and back: what `cara-fed backup` writes and
`cara-fed restore` reads (cara_fed/backup.py).

The rows go through the models, not a database's own dump format, so a backup of an SQLite
instance restores onto PostgreSQL and the other way round: moving an instance that outgrew
its SQLite file to PostgreSQL is a backup and a restore. Values keep their types through JSON
with a tag where JSON has none (a datetime, bytes); JSON fields stay JSON.

A dump reads one consistent moment while the instance keeps running: on SQLite from a copy made
with SQLite's online backup (readers do not block its writers, and the inbox keeps answering),
on PostgreSQL inside one REPEATABLE READ transaction."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Any

from tortoise import Tortoise, connections
from tortoise.fields.relational import ForeignKeyFieldInstance, OneToOneFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

BATCH = 500  # rows per INSERT on restore, per SELECT on dump


def models_in_order() -> list[type[Model]]:
    """Every model, each after the models its foreign keys point at (restore inserts them in
    this order, so every reference finds its row)."""
    remaining = {m._meta.db_table: m for m in Tortoise.apps["models"].values()}
    ordered: list[type[Model]] = []
    while remaining:
        ready = [
            table
            for table, model in sorted(remaining.items())
            if not (_references(model) - {table}) & remaining.keys()
        ]
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle among {sorted(remaining)}")
        for table in ready:
            ordered.append(remaining.pop(table))
    return ordered


def _references(model: type[Model]) -> set[str]:
    return {
        field.related_model._meta.db_table
        for field in model._meta.fields_map.values()
        if isinstance(field, ForeignKeyFieldInstance | OneToOneFieldInstance)
    }


def _columns(model: type[Model]) -> list[str]:
    """The names `Model.values()` and `Model(**values)` share: fields, and `x_id` for a
    foreign key `x`."""
    return list(model._meta.fields_db_projection)


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$bytes" in value:
            return base64.b64decode(value["$bytes"])
    return value


async def dump_rows() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(table, row) for every row, table by table in `models_in_order`, rows by primary key.
    The open database must be the one to read (on SQLite: the copy); on PostgreSQL this runs
    inside one repeatable-read transaction."""
    postgres = connections.get("default").capabilities.dialect == "postgres"
    async with in_transaction() as connection:
        if postgres:
            await connection.execute_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in models_in_order():
            table, pk = model._meta.db_table, model._meta.pk_attr
            columns = _columns(model)
            after: dict[str, Any] = {}
            while True:  # by key, not offset: each page costs the same however far in
                rows = (
                    await model.filter(**after)
                    .using_db(connection)
                    .order_by(pk)
                    .limit(BATCH)
                    .values(*columns)
                )
                for row in rows:
                    yield table, {key: encode(value) for key, value in row.items()}
                if len(rows) < BATCH:
                    break
                after = {f"{pk}__gt": rows[-1][pk]}


async def load_rows(rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    """Insert dumped rows (tables in `models_in_order`, as `dump_rows` gives them) into the
    open, empty database in one transaction; returns rows per table. Columns a later release
    added take their defaults; columns this release no longer has are refused."""
    by_table = {m._meta.db_table: m for m in Tortoise.apps["models"].values()}
    counts: dict[str, int] = {}
    batch: list[Model] = []
    rows_with_stamps: list[tuple[Model, dict[str, Any]]] = []
    current: type[Model] | None = None
    async with in_transaction() as connection:
        for table, values in rows:
            model = by_table.get(table)
            if model is None:
                raise ValueError(f"the backup has a table this release does not: {table}")
            unknown = set(values) - set(_columns(model))
            if unknown:
                raise ValueError(f"the backup's {table} has columns unknown here: {unknown}")
            if model is not current and batch:
                await _insert(batch, connection)
                batch = []
            current = model
            row = model(**{key: decode(value) for key, value in values.items()})
            batch.append(row)
            if stamps := _stamps(model):
                rows_with_stamps.append((row, {name: getattr(row, name) for name in stamps}))
            counts[table] = counts.get(table, 0) + 1
            if len(batch) >= BATCH:
                await _insert(batch, connection)
                batch = []
        if batch:
            await _insert(batch, connection)
        await _stamps_back(rows_with_stamps, connection)
        await _sequences_after(connection, counts)
    return counts


def _stamps(model: type[Model]) -> list[str]:
    """Fields an insert sets to now whatever it is given (`auto_now`, an album's last
    change): put back after the insert, or a restore would date every album today."""
    return [
        name for name, field in model._meta.fields_map.items() if getattr(field, "auto_now", False)
    ]


async def _stamps_back(rows: list[tuple[Model, dict[str, Any]]], connection) -> None:
    for row, values in rows:
        await type(row).filter(pk=row.pk).using_db(connection).update(**values)


async def _insert(batch: list[Model], connection) -> None:
    await type(batch[0]).bulk_create(batch, using_db=connection)


async def _sequences_after(connection, counts: dict[str, int]) -> None:
    """PostgreSQL hands out ids from a sequence, which rows inserted with their ids do not
    move: set each past the largest id, or the next insert would collide. (SQLite's
    AUTOINCREMENT follows the largest rowid by itself.)"""
    if connection.capabilities.dialect != "postgres":
        return
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        pk = model._meta.pk
        if table not in counts or not getattr(pk, "generated", False):
            continue
        column = model._meta.pk.source_field or model._meta.pk_attr
        await connection.execute_script(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'(SELECT MAX("{column}") FROM "{table}"))'
        )


async def row_count() -> int:
    """How many rows the open database holds, all tables together."""
    return sum([await model.all().count() for model in Tortoise.apps["models"].values()])
