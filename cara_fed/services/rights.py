"""What the instance says about its members' work wherever it goes: the no-AI tag on posts
and the rights statement (XMP) in every published image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cara_fed.store.models import Actor
from cloak.policy import NOAI
from cloak.xmp import rights_xmp

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def noai_tag(instance: Instance) -> str | None:
    return NOAI if instance.config.policy.advertise_noai else None


def rights_statement(instance: Instance, author: Actor) -> str | None:
    """The XMP every published image of `author` carries (unless the instance turns the
    no-AI policy off): the PLUS data-mining prohibition, copyright and credit."""
    if not instance.config.policy.advertise_noai:
        return None
    name = author.display_name or author.username
    return rights_xmp(
        creator=name,
        copyright_notice=f"© {instance.clock.now().year} {name}. All rights reserved. "
        "Not to be used to train AI models.",
        credit=f"{name} (@{author.username}@{instance.urls.domain})",
        web_statement=author.url or instance.urls.profile(author.username),
    )
