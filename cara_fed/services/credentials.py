"""Content Credentials on what this instance publishes: the statement a work's renditions
carry (cloak/content_credentials.py writes it), signed with the instance's identity.

Every path that writes a published rendition or thumbnail of a work signs it here, last:
an upload published without the cloak, the cloak worker's output, and a work whose cloak is
turned off. The private original is never signed, and neither are avatars and headers (they
are not works).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING

from cara_fed.store.models import Actor, Post
from cloak.content_credentials import DEFAULT_MADE_AS, MADE_AS, Statement, sign
from cloak.sanitize import PublishedImage

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def made_as(author: Actor, post: Post | None = None, chosen: str | None = None) -> str:
    """The declaration for a work: chosen now, else the work's own, else the artist's default."""
    for value in (chosen, post.made_as if post else None, author.made_as):
        if value in MADE_AS:
            return value
    return DEFAULT_MADE_AS


def statement(
    instance: Instance, author: Actor, declared: str, *, resized: bool, cloaked: bool
) -> Statement:
    return Statement(
        creator_name=author.display_name or author.username,
        handle=f"@{author.username}@{instance.urls.domain}",
        actor_url=author.uri,
        made_as=declared,
        resized=resized,
        cloaked=cloaked,
        no_training=instance.config.policy.advertise_noai,
    )


def _signed(instance: Instance, image: PublishedImage, said: Statement) -> PublishedImage:
    identity = instance.credentials.identity()
    data = sign(
        image.data,
        image.media_type,
        said,
        chain_pem=identity.chain_pem,
        key_pem=identity.signing_key_pem,
    )
    return replace(image, data=data, sha256=hashlib.sha256(data).hexdigest())


async def signed_renditions(
    instance: Instance,
    author: Actor,
    declared: str,
    original_size: tuple[int, int],
    images: tuple[PublishedImage, PublishedImage],
    *,
    cloaked: bool,
) -> tuple[PublishedImage, PublishedImage]:
    """A work's published image and its thumbnail, each signed (unless the instance turns
    Content Credentials off). `original_size` tells whether each was scaled down."""
    if not instance.config.policy.content_credentials:
        return images

    def sign_both() -> tuple[PublishedImage, PublishedImage]:
        published, thumb = (
            _signed(
                instance,
                image,
                statement(
                    instance,
                    author,
                    declared,
                    resized=(image.width, image.height) != original_size,
                    cloaked=cloaked,
                ),
            )
            for image in images
        )
        return published, thumb

    return await asyncio.to_thread(sign_both)


LABELS = {
    "digital": "A digital creation (drawn, painted or modelled by me with digital tools)",
    "photo": "A photograph I took",
    "scan": "A scan or photograph of a physical work I made",
}


def made_as_form(instance: Instance, chosen: str | None) -> dict | None:
    """What a page's "how it was made" choice needs, or None when the instance signs
    nothing."""
    if not instance.config.policy.content_credentials:
        return None
    options = [{"name": name, "label": LABELS[name]} for name in MADE_AS]
    return {"options": options, "chosen": chosen if chosen in MADE_AS else DEFAULT_MADE_AS}
