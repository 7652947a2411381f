"""`cara-fed`: the admin's command line (cara_fed/cli/main.py builds it; one module per
group of commands beside it)."""

from cara_fed.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
