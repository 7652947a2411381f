from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def pair(make_module_instance):
    """A (alice) follows bob on B; shared by a module's tests."""
    a = make_module_instance("a")
    b = make_module_instance("b")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    return a, b
