"""Backing an instance up into one file and restoring it onto a new one (cara_fed/backup.py)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from cara_fed import backup
from cara_fed.config import Config


def cmd_backup(config: Config, args: argparse.Namespace) -> int:
    manifest = asyncio.run(backup.backup(config, Path(args.path)))
    missing = manifest["media"]["missing"]
    if missing:
        print(f"  {len(missing)} media files were deleted while the backup ran and are not in it")
    print(f"backed up {config.base_url} to {args.path}")
    return 0


def cmd_restore(config: Config, args: argparse.Namespace) -> int:
    asyncio.run(backup.restore(config, Path(args.path)))
    print(f"{config.base_url} is restored: start it with `cara-fed serve`")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    made = sub.add_parser(
        "backup",
        parents=[common],
        help="write the database's rows and every media file to one archive (the instance "
        "may keep running)",
    )
    made.add_argument("path", help="the archive to write (a tar file)")
    made.set_defaults(func=cmd_backup)
    restored = sub.add_parser(
        "restore",
        parents=[common],
        help="make this new, empty instance (same [instance] url) the one an archive holds; "
        "SQLite or PostgreSQL, disk or bucket, whatever the backup was made from",
    )
    restored.add_argument("path", help="an archive `cara-fed backup` wrote")
    restored.set_defaults(func=cmd_restore)
