"""`cara-fed`: the admin's command line. Every command reads the same config file as the server
(--config, else $CARA_FED_CONFIG, else ./instance.toml), prints plain sentences, and exits 1
with a one-line reason when something is wrong."""

from __future__ import annotations

import argparse
import logging
import sys

from cara_fed import logs
from cara_fed.cli import accounts as cli_accounts
from cara_fed.cli import backup as cli_backup
from cara_fed.cli import cloak as cli_cloak
from cara_fed.cli import credentials as cli_credentials
from cara_fed.cli import detector as cli_detector
from cara_fed.cli import domains as cli_domains
from cara_fed.cli import follows as cli_follows
from cara_fed.cli import hashlist as cli_hashlist
from cara_fed.cli import imports as cli_imports
from cara_fed.cli import lists_csv as cli_lists_csv
from cara_fed.cli import moderation as cli_moderation
from cara_fed.cli import posts as cli_posts
from cara_fed.cli import running as cli_running
from cara_fed.cli import safety as cli_safety
from cara_fed.config import load_config
from cara_fed.errors import UserError
from cara_fed.store.media_store import MediaStoreError

# Each module adds its own commands, in the order `cara-fed --help` lists them.
COMMANDS = (
    cli_running,
    cli_backup,
    cli_accounts,
    cli_posts,
    cli_follows,
    cli_safety,
    cli_lists_csv,
    cli_imports,
    cli_moderation,
    cli_cloak,
    cli_credentials,
    cli_domains,
    cli_hashlist,
    cli_detector,
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        help="config file (default: $CARA_FED_CONFIG, else ./instance.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="cara-fed", parents=[common], description="Run and administer a cara-fed instance."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for commands in COMMANDS:
        commands.add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format=logs.TEXT_FORMAT)
    try:
        config = load_config(getattr(args, "config", None))
        logs.configure(config.server.log_format)
        return args.func(config, args)
    except UserError as exc:  # a reason the person can act on, in one line
        print(f"cara-fed: {exc}", file=sys.stderr)
        return 1
    except MediaStoreError as exc:  # the bucket (or the media directory) failed: says which
        print(f"cara-fed: media storage: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
