"""Two servers with members, for the client-API tests that federate."""

from __future__ import annotations

from tests.api.test_posting_mastodon_py import PASSWORD


def two_servers(make_module_instance, on_a: tuple[str, ...], on_b: tuple[str, ...]):
    a = make_module_instance("a")
    b = make_module_instance("b")
    for site, names in ((a, on_a), (b, on_b)):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return a, b
