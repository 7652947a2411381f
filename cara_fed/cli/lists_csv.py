"""`cara-fed csv export NAME KIND` and `cara-fed csv import NAME KIND FILE`: a member's
follows, blocks, mutes and blocked servers in Mastodon's CSV formats
(cara_fed/services/relations_csv.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cara_fed.cli.session import as_member
from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.services import relations_csv
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def cmd_csv(config: Config, args: argparse.Namespace) -> int:
    text = ""
    if args.action == "import":
        try:
            text = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read {args.file}: {exc}") from None

    @as_member
    async def run(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
        if args.action == "export":
            sys.stdout.write(await relations_csv.export(member, args.kind))
            return
        result = await relations_csv.import_csv(instance, member, args.kind, text)
        for address, why in result.failed:
            print(f"not imported: {address}: {why}", file=sys.stderr)
        print(f"{args.kind}: {result.done} imported, {len(result.failed)} not")

    return run(config, args)


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    lists = sub.add_parser(
        "csv", parents=[common], help="a member's follows, blocks, mutes as Mastodon's CSV"
    )
    actions = lists.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", parents=[common], help="print the CSV")
    imported = actions.add_parser("import", parents=[common], help="read a CSV file")
    for p in (export, imported):
        p.add_argument("name")
        p.add_argument("kind", choices=relations_csv.KINDS)
        p.set_defaults(func=cmd_csv)
    imported.add_argument("file")
