"""The base of every model: tortoise's Model, without reading our source for field comments.

Why: tortoise's metaclass calls `inspect.getsource` on each model class to collect `#:`
comments as field descriptions, and each call parses the whole module again: 0.25 s of
every `cara-fed` process's start (`python -X importtime`), for the CLI commands the tests
run hundreds of times as much as for `serve`. The models carry no `#:` comments, so the
schema is the same (tests/cara_fed/test_migrations.py compares it with the migrations)."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model as TortoiseModel
from tortoise.models import ModelMeta


class _WithoutSourceComments(ModelMeta):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]):
        attrs.setdefault("_no_comments", True)
        return super().__new__(mcs, name, bases, attrs)


class Model(TortoiseModel, metaclass=_WithoutSourceComments):
    class Meta:
        abstract = True
