"""The command line loads only the module of the command asked for (cara_fed/cli/main.py):
its table of which module adds which commands must be the modules' own word, or a command
would be missing, or found in the wrong place."""

from __future__ import annotations

import argparse
import importlib

import pytest

from cara_fed.cli.main import MODULES, _command_word, build_parser


def commands_of(module: str) -> tuple[str, ...]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(f"cara_fed.cli.{module}").add_parsers(
        sub, argparse.ArgumentParser(add_help=False)
    )
    return tuple(sub.choices)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_adds_exactly_the_commands_the_table_names(module):
    assert commands_of(module) == MODULES[module]


def test_the_command_word_is_found_past_the_config_option():
    assert _command_word(["--config", "x.toml", "user", "add", "a"]) == "user"
    assert _command_word(["user", "--config", "x.toml"]) == "user"
    assert _command_word(["--help"]) is None


def test_a_lone_command_parses_as_in_the_whole_parser():
    argv = ["user", "add", "ann", "--email", "ann@example.org"]
    alone = build_parser("accounts").parse_args(argv)
    whole = build_parser().parse_args(argv)
    assert vars(alone) == vars(whole)
