"""`cara-fed`: the admin's command line. Every command reads the same config file as the server
(--config, else $CARA_FED_CONFIG, else ./instance.toml), prints plain sentences, and exits 1
with a one-line reason when something is wrong."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from types import ModuleType

from cara_fed import logs
from cara_fed.config import load_config
from cara_fed.errors import UserError
from cara_fed.store.media_store import MediaStoreError

# Each module of cara_fed/cli adds its own commands, in the order `cara-fed --help` lists
# them; beside each, the commands it adds (tests/cara_fed/test_cli_commands.py checks the
# two agree). A command imports only its own module: the others pull in the cloak, the
# screening models and the whole server, which made every command start in about a second
# (the test suite runs several hundred).
MODULES: dict[str, tuple[str, ...]] = {
    "running": ("init", "migrate", "serve", "worker"),
    "backup": ("backup", "restore"),
    "accounts": ("user", "follow-requests", "approve", "reject"),
    "posts": ("post", "delete", "timeline"),
    "follows": ("follow", "unfollow", "deliveries"),
    "safety": ("block", "unblock", "mute", "unmute", "blocks", "report"),
    "lists_csv": ("csv",),
    "imports": ("import",),
    "moderation": ("moderation", "sources", "screen", "screen-eval", "screen-train"),
    "cloak": ("cloak", "cloak-job", "cloak-jobs", "cloak-retry"),
    "credentials": ("credentials",),
    "domains": ("domain",),
    "hashlist": ("hashlist",),
    "detector": ("detector",),
}
OWNER = {command: module for module, commands in MODULES.items() for command in commands}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"cara_fed.cli.{name}")


def _command_word(argv: list[str]) -> str | None:
    """The command asked for: the first word that is not an option (nor --config's value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--config":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` the commands of that module alone."""
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
    for name in (only,) if only else MODULES:
        _module(name).add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(OWNER.get(_command_word(argv) or "")).parse_args(argv)
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
