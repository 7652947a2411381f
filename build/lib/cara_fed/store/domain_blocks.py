"""Which servers are blocked: the rule (a block covers the domain, any port of it and its
subdomains) and an in-memory copy of the list that every inbox POST and outbound request
consults, re-read from the database every few seconds so a block made by the CLI in another
process takes effect without a restart."""

from __future__ import annotations

import time

from activitypub.values import host_of
from cara_fed.store.models import DomainBlock

REREAD_SECONDS = 5.0


class BadDomain(ValueError):
    """Not something that names a server."""


def normalize(domain: str) -> str:
    """`Example.COM`, `https://example.com/`, `example.com:8443` -> lower-case host[:port]."""
    text = domain.strip().lower()
    host = host_of(text) if "://" in text else text.rstrip("/")
    if not host or "/" in host or "@" in host or " " in host or host.startswith("."):
        raise BadDomain(f"{domain!r} is not a domain (give it as example.com)")
    return host


def host_name(host: str) -> str:
    """host[:port] -> host ('[::1]:8080' -> '[::1]')."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def covers(blocked: frozenset[str] | set[str], host: str) -> bool:
    """Whether `host` (host[:port], lower-case) falls under one of the `blocked` entries: the
    exact host and port, the host on any port, or a parent domain."""
    if not blocked:
        return False
    if host in blocked:
        return True
    name = host_name(host)
    if name in blocked:
        return True
    labels = name.split(".")
    return any(".".join(labels[i:]) in blocked for i in range(1, len(labels) - 1))


# How old a copy may be to confirm that a host is blocked.
FRESH_SECONDS = 0.5


class BlockList:
    def __init__(self, reread_seconds: float = REREAD_SECONDS) -> None:
        self._reread = reread_seconds
        self._domains: frozenset[str] = frozenset()
        self._read_at: float | None = None

    async def domains(self, *, within: float | None = None) -> frozenset[str]:
        """The blocked domains, read again when the copy is older than `within` seconds
        (default: the re-read interval)."""
        now = time.monotonic()
        limit = self._reread if within is None else within
        if self._read_at is None or now - self._read_at >= limit:
            rows = await DomainBlock.all().values_list("domain", flat=True)
            self._domains, self._read_at = frozenset(rows), now
        return self._domains

    async def blocks(self, url_or_host: str) -> bool:
        """A "yes" is checked against the database before it is given: a block lifted by the
        CLI takes effect at once (an admin who unblocks and then follows must not see that
        Follow refused as blocked, for good). New blocks apply within the re-read interval."""
        host = host_of(url_or_host) if "://" in url_or_host else url_or_host.lower()
        if not covers(await self.domains(), host):
            return False
        return covers(await self.domains(within=FRESH_SECONDS), host)
