"""What a domain block covers, and how a domain is written down."""

from __future__ import annotations

import pytest

from cara_fed.store.domain_blocks import BadDomain, covers, normalize


@pytest.mark.parametrize(
    ("host", "blocked"),
    [
        ("evil.example", True),
        ("evil.example:8443", True),
        ("media.evil.example", True),
        ("a.b.evil.example", True),
        ("notevil.example", False),
        ("evil.example.org", False),
        ("example", False),
    ],
)
def test_a_block_covers_the_domain_its_ports_and_subdomains(host, blocked):
    assert covers(frozenset({"evil.example"}), host) is blocked


def test_a_block_with_a_port_covers_that_port_only():
    assert covers({"127.0.0.1:5000"}, "127.0.0.1:5000")
    assert not covers({"127.0.0.1:5000"}, "127.0.0.1:5001")
    assert covers({"[::1]"}, "[::1]:8080")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Evil.EXAMPLE", "evil.example"),
        ("https://evil.example/", "evil.example"),
        ("evil.example:8443", "evil.example:8443"),
        (" evil.example ", "evil.example"),
    ],
)
def test_a_domain_is_stored_lower_case_without_scheme(given, stored):
    assert normalize(given) == stored


@pytest.mark.parametrize("bad", ["", "a b", "user@evil.example", "evil.example/path", ".example"])
def test_what_is_not_a_domain_is_refused_with_a_reason(bad):
    with pytest.raises(BadDomain, match="not a domain"):
        normalize(bad)
