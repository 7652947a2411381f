"""What the hostile tests share: a server under an attacker's control, one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hostile.attacker import Attacker, running


@pytest.fixture
def attacker() -> Iterator[Attacker]:
    with running() as server:
        yield server
