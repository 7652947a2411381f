"""OAuth scopes as Mastodon defines them (config/initializers/doorkeeper.rb, 4.3): `read` and
`write` cover their `read:*` and `write:*` sub-scopes, the deprecated `follow` covers six of
them, `push` and `profile` stand alone. Admin scopes are not offered: this server has no admin
API, and an app that asks for them is refused rather than handed a scope that does nothing."""

from __future__ import annotations

READ = (
    "read:accounts read:blocks read:bookmarks read:favourites read:filters read:follows "
    "read:lists read:mutes read:notifications read:search read:statuses"
).split()
WRITE = (
    "write:accounts write:blocks write:bookmarks write:conversations write:favourites "
    "write:filters write:follows write:lists write:media write:mutes write:notifications "
    "write:reports write:statuses"
).split()
FOLLOW = "read:blocks read:follows read:mutes write:blocks write:follows write:mutes".split()
# The order Mastodon's OAuth metadata lists them in.
SUPPORTED = ("read", "profile", "write", *WRITE, *READ, "follow", "push")
DEFAULT = ("read",)


class ScopeError(ValueError):
    """An unknown scope was asked for; the message names it."""


def parse(text: str | None) -> tuple[str, ...]:
    """The scopes in `text` (space or `+` separated), each once, in order; DEFAULT if none."""
    scopes: list[str] = []
    for scope in (text or "").replace("+", " ").split():
        if scope not in SUPPORTED:
            raise ScopeError(f"the scope {scope!r} is not offered by this server")
        if scope not in scopes:
            scopes.append(scope)
    return tuple(scopes) or DEFAULT


def covers(granted: tuple[str, ...] | set[str], scope: str) -> bool:
    """Whether `granted` includes `scope`, itself or through a parent."""
    if scope in granted:
        return True
    parent = scope.split(":")[0]
    if parent != scope and parent in granted:
        return True
    return "follow" in granted and scope in FOLLOW


def within(asked: tuple[str, ...], allowed: tuple[str, ...]) -> bool:
    """Whether every scope asked for is covered by what the app registered."""
    return all(covers(allowed, scope) for scope in asked)
