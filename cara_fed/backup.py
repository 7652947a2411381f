"""`cara-fed backup PATH` and `cara-fed restore PATH`: an instance in one file, and that file
made into a new instance that goes on federating as the old one (same URL, same keys).

The file is a tar archive: `manifest.json` (what it holds: the instance's URL, the migrations
its schema had, rows per table, media files), `rows.jsonl.gz` (every row, through the models:
cara_fed/store/snapshot.py), `media/NAME` for every media file, and `credentials/` (the
Content Credentials identity, so the restored instance signs as the old one did). Because
rows and media are read through the models and the media store, a backup restores onto
either database kind and either media backend: an instance moves from its SQLite file and
disk to PostgreSQL and a bucket with one backup and one restore.

A backup runs beside the live instance. The rows are one consistent moment (SQLite's online
backup to a private copy, or one repeatable-read transaction on PostgreSQL); the media files
are read after them, so a file deleted in between is missing from the archive, and named in
the manifest. The archive is written beside PATH and renamed into place once complete.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections

from cara_fed import SOFTWARE_NAME, __version__, credentials_identity
from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.media_storage import media_store_for
from cara_fed.store import snapshot
from cara_fed.store.db import close_database, open_database, tortoise_config
from cara_fed.store.media_store import MediaMissing
from cara_fed.store.migrate import RECORDS

FORMAT = 1
Log = Callable[[str], object]


async def backup(config: Config, path: Path, log: Log = print) -> dict[str, Any]:
    """Write the archive; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="cara-fed-backup-") as scratch:
        work = Path(scratch)
        rows_file = work / "rows.jsonl.gz"
        manifest = await _dump_rows(config, work, rows_file)
        log(f"rows: {sum(manifest['rows'].values())} in {len(manifest['rows'])} tables")
        partial = path.with_name(f".{path.name}.partial")
        try:
            await _write_archive(config, partial, rows_file, manifest, log)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


async def _dump_rows(config: Config, work: Path, rows_file: Path) -> dict[str, Any]:
    if config.on_postgres:
        await open_database(config)
    else:
        copy = work / "snapshot.sqlite3"
        await asyncio.to_thread(_sqlite_copy, config.database_path, copy)
        settings = tortoise_config(config)
        settings["connections"]["default"]["credentials"]["file_path"] = str(copy)
        await Tortoise.init(config=settings, _enable_global_fallback=True)
    try:
        migrations = await _applied_migrations()
        counts: dict[str, int] = {}
        with gzip.open(rows_file, "wt", encoding="utf-8") as out:
            async for table, row in snapshot.dump_rows():
                out.write(json.dumps([table, row], ensure_ascii=False) + "\n")
                counts[table] = counts.get(table, 0) + 1
    finally:
        await close_database()
    return {
        "format": FORMAT,
        "software": f"{SOFTWARE_NAME} {__version__}",
        "instance": config.base_url,
        "created_at": datetime.now(UTC).isoformat(),
        "database": "postgres" if config.on_postgres else "sqlite",
        "migrations": migrations,
        "rows": counts,
    }


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup, in one step: a read transaction in WAL mode, so the server
    and workers go on writing meanwhile."""
    if not source.exists():
        raise UserError(f"there is no database at {source} to back up")
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()


async def _applied_migrations() -> list[str]:
    rows = await connections.get("default").execute_query_dict(
        f'SELECT name FROM "{RECORDS}" ORDER BY name'
    )
    return [row["name"] for row in rows]


async def _write_archive(
    config: Config, target: Path, rows_file: Path, manifest: dict, log: Log
) -> None:
    store = media_store_for(config)
    names = await store.names()
    archive = await asyncio.to_thread(tarfile.open, target, "w")
    try:
        await asyncio.to_thread(archive.add, rows_file, "rows.jsonl.gz")
        stored, size, missing = 0, 0, []
        for name in names:
            try:
                data = await store.get(name)
            except MediaMissing:  # deleted since it was listed
                missing.append(name)
                continue
            await asyncio.to_thread(_add_bytes, archive, f"media/{name}", data)
            stored, size = stored + 1, size + len(data)
        manifest["media"] = {"files": stored, "bytes": size, "missing": missing}
        identity = credentials_identity.files(config.data_dir)
        for name, text in identity.items():
            await asyncio.to_thread(_add_bytes, archive, f"credentials/{name}", text.encode())
        manifest["credentials"] = sorted(identity)
        body = json.dumps(manifest, indent=2).encode()
        await asyncio.to_thread(_add_bytes, archive, "manifest.json", body)
    finally:
        await asyncio.to_thread(archive.close)
    await asyncio.to_thread(_fsync, target)
    log(f"media: {stored} files, {size / 1e6:.1f} MB from {store.where}")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _fsync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


async def restore(config: Config, path: Path, log: Log = print) -> dict[str, Any]:
    """Make this (new, empty) instance the one the archive holds; returns its manifest.
    Refuses, changing nothing, an archive of another instance URL or of a newer schema, and
    a database that already holds rows."""
    archive = await asyncio.to_thread(_open_archive, path)
    try:
        manifest = _manifest(archive)
        if manifest["instance"] != config.base_url:
            raise UserError(
                f"the backup is of {manifest['instance']}, this instance is {config.base_url}: "
                "ids and keys belong to the URL; restore it under the same [instance] url"
            )
        await open_database(config, create_schema=True)
        try:
            known = await _applied_migrations()
            newer = sorted(set(manifest["migrations"]) - set(known))
            if newer:
                raise UserError(
                    f"the backup was made by a newer cara-fed (migrations {', '.join(newer)}): "
                    "install that release, or a later one, to restore it"
                )
            if await snapshot.row_count():
                raise UserError(
                    f"{config.database_name} already holds rows: restore onto a new data "
                    "directory or an empty database, without running `cara-fed init` first"
                )
            files = await _restore_media(config, archive)
            credentials_identity.install(
                config.data_dir,
                {
                    name: _member(archive, f"credentials/{name}").decode()
                    for name in manifest.get("credentials", [])
                },
            )
            counts = await snapshot.load_rows(_rows(archive))
        finally:
            await close_database()
    finally:
        await asyncio.to_thread(archive.close)
    log(f"restored {sum(counts.values())} rows and {files} media files of {manifest['instance']}")
    return manifest


def _open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r")
    except (OSError, tarfile.TarError) as exc:
        raise UserError(f"{path} is not a cara-fed backup: {exc}") from None


def _manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.loads(_member(archive, "manifest.json"))
    except (KeyError, ValueError) as exc:
        raise UserError(f"the archive has no readable manifest: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise UserError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        raise KeyError(name)
    return member.read()


def _rows(archive: tarfile.TarFile) -> Iterator[tuple[str, dict[str, Any]]]:
    source = archive.extractfile("rows.jsonl.gz")
    if source is None:
        raise UserError("the archive has no rows.jsonl.gz")
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            table, row = json.loads(line)
            yield table, row


async def _restore_media(config: Config, archive: tarfile.TarFile) -> int:
    store = media_store_for(config)
    count = 0
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith("media/"):
            continue
        data = await asyncio.to_thread(_member, archive, member.name)
        await store.put(member.name.removeprefix("media/"), data)
        count += 1
    return count
