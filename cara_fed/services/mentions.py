"""Who a status written in an app names: `@name` (a member here) and `@name@their.server`
(found by WebFinger when this server does not know them yet), as Mastodon reads mentions.
The people named are addressed and told; their names in the text become links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tortoise.expressions import Q

from cara_fed.errors import UserError
from cara_fed.services.following import resolve_account
from cara_fed.services.post_input import PostError
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance

# Mastodon's account mention: not after a word character, a slash or another "@".
MENTION = re.compile(r"(?<![\w/@])@(\w+)(?:@([\w.-]+\w(?::\d+)?))?")
# Mastodon counts at most this many people named in a status ("Too many mentions").
MAX_MENTIONS = 20


class MentionError(PostError):
    pass


def handle(actor: Actor) -> str:
    """The address Mastodon writes in a Mention tag's name."""
    return f"@{actor.username}@{actor.domain}"


def profile_url(actor: Actor) -> str:
    return actor.url or actor.uri


def mention_links(actors: list[Actor]) -> dict[str, str]:
    """The words that may name each of `actors` in a post's text → their profile: the full
    `@name@server`, and `@name` alone for a member here."""
    links = {handle(a): profile_url(a) for a in actors}
    links.update({f"@{a.username}": profile_url(a) for a in actors if a.local})
    return links


async def _known(username: str, domain: str) -> Actor | None:
    return await Actor.filter(
        Q(username=username) | Q(username=username.lower()), domain=domain.lower()
    ).first()


async def named_in(instance: Instance, text: str) -> list[tuple[str, Actor]]:
    """Each distinct mention in `text` that names an account, with the words that named it;
    names that lead nowhere stay plain text, as on Mastodon."""
    found: dict[str, tuple[str, Actor]] = {}
    for match in MENTION.finditer(text):
        written = match.group(0)
        username, domain = match.group(1), match.group(2) or instance.urls.domain
        if len(found) >= MAX_MENTIONS:
            raise MentionError(f"a status can name at most {MAX_MENTIONS} people")
        actor = await _known(username, domain)
        if actor is None:
            try:
                actor = await resolve_account(instance, f"{username}@{domain}")
            except UserError:
                continue
        found.setdefault(actor.uri, (written, actor))
    return list(found.values())
