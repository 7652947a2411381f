"""The running instance, for a route: one typed look-up instead of each module reading
`current_app.config["INSTANCE"]` (set by cara_fed/app.py when the app starts serving)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quart import current_app

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def current_instance() -> Instance:
    return current_app.config["INSTANCE"]
