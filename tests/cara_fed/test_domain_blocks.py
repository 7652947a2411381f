"""What a domain block covers, and how a domain is written down."""

from __future__ import annotations

import asyncio

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


async def test_a_lifted_block_is_seen_at_once_and_a_new_one_within_the_reread(database):
    """A worker asking right after `domain unblock` must not refuse for good what is no longer
    blocked; a new block may take up to the re-read interval to apply."""
    from cara_fed.store.domain_blocks import BlockList
    from cara_fed.store.models import DomainBlock

    blocks = BlockList(reread_seconds=3600)
    await DomainBlock.create(domain="evil.example")
    assert await blocks.blocks("https://evil.example/inbox")
    await DomainBlock.filter(domain="evil.example").delete()
    await asyncio.sleep(0.6)  # older than FRESH_SECONDS: a "yes" is checked again
    assert not await blocks.blocks("https://evil.example/inbox")
    await DomainBlock.create(domain="other.example")
    assert not await blocks.blocks("https://other.example/inbox")  # the hour-long copy
