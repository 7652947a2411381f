"""Editing a local account's profile, and telling followers' servers about it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from activitypub.activity import build_update
from activitypub.vocab import PUBLIC
from cara_fed.convert.to_as import actor_document
from cara_fed.services.post_input import PostError
from cara_fed.services.post_text import text_to_html
from cara_fed.services.rights import rights_statement
from cara_fed.store.albums import album_ids
from cara_fed.store.media import remove_unused_files, store_published_image
from cara_fed.store.models import Actor
from cloak.content_credentials import MADE_AS
from cloak.imaging import BadImage
from cloak.sanitize import sanitize_upload
from federation.outbox import emit, follower_inboxes

if TYPE_CHECKING:
    from cara_fed.instance import Instance

MAX_NAME_LENGTH = 100
MAX_BIO_LENGTH = 2000
# Mastodon shows four profile fields.
MAX_LINKS = 4
MAX_LINK_NAME = 40
MAX_LINK_URL = 500


def parse_links(rows: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Profile links from (label, address) rows; empty rows are skipped. Only http(s)
    addresses: anything else would be a script or a local file in a visitor's browser."""
    links = []
    for number, (name, url) in enumerate(rows, 1):
        name, url = name.strip(), url.strip()
        if not name and not url:
            continue
        if not url:
            raise PostError(f"link {number} has a label but no address")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PostError(f"link {number} must be an http or https address, like https://my.site")
        if len(url) > MAX_LINK_URL or len(name) > MAX_LINK_NAME:
            raise PostError(
                f"link {number} is too long (label {MAX_LINK_NAME}, address {MAX_LINK_URL} "
                "characters at most)"
            )
        links.append({"name": name or parts.hostname, "url": url})
    if len(links) > MAX_LINKS:
        raise PostError(f"a profile can have at most {MAX_LINKS} links")
    return links


@dataclass(frozen=True)
class ProfileChange:
    display_name: str | None = None
    bio: str | None = None
    avatar: bytes | None = None
    header: bytes | None = None
    manually_approves_followers: bool | None = None
    discoverable: bool | None = None
    links: list[dict[str, str]] | None = None
    # Not part of the actor document: changing only these sends nothing to peers.
    cloak_images: bool | None = None
    cloak_review: bool | None = None
    require_alt_text: bool | None = None
    made_as: str | None = None  # the default declaration of the artist's works (digital...)

    def federated(self) -> bool:
        return any(
            value is not None
            for value in (
                self.display_name,
                self.bio,
                self.avatar,
                self.header,
                self.manually_approves_followers,
                self.discoverable,
                self.links,
            )
        )


async def _image(instance: Instance, actor: Actor, data: bytes, what: str) -> tuple[str, str]:
    try:
        image = await asyncio.to_thread(
            sanitize_upload,
            data,
            max_pixels=instance.config.media.max_pixels,
            jpeg_quality=instance.config.media.jpeg_quality,
            xmp=rights_statement(instance, actor),
        )
    except BadImage as exc:
        raise PostError(f"the {what}: {exc}") from None
    name = await store_published_image(instance.media, image)
    return name, image.media_type


async def edit_profile(instance: Instance, actor: Actor, change: ProfileChange) -> Actor:
    if change.display_name is not None:
        if len(change.display_name) > MAX_NAME_LENGTH:
            raise PostError(f"the display name is longer than {MAX_NAME_LENGTH} characters")
        actor.display_name = change.display_name.strip() or actor.username
    if change.bio is not None:
        if len(change.bio) > MAX_BIO_LENGTH:
            raise PostError(f"the bio is longer than {MAX_BIO_LENGTH} characters")
        actor.summary = text_to_html(change.bio)
    old_files = []
    if change.avatar is not None:
        old_files.append(actor.avatar_file)
        actor.avatar_file, actor.avatar_media_type = await _image(
            instance, actor, change.avatar, "avatar"
        )
    if change.header is not None:
        old_files.append(actor.header_file)
        actor.header_file, actor.header_media_type = await _image(
            instance, actor, change.header, "header"
        )
    if change.manually_approves_followers is not None:
        actor.manually_approves_followers = change.manually_approves_followers
    if change.discoverable is not None:
        actor.discoverable = change.discoverable
    if change.links is not None:
        actor.links = change.links
    if change.cloak_images is not None:
        actor.cloak_images = change.cloak_images
    if change.cloak_review is not None:
        actor.cloak_review = change.cloak_review
    if change.require_alt_text is not None:
        actor.require_alt_text = change.require_alt_text
    if change.made_as is not None:
        if change.made_as not in MADE_AS:
            raise PostError(f"how works are made must be one of {', '.join(MADE_AS)}")
        actor.made_as = change.made_as
    if not change.federated():
        await actor.save()
        return actor
    async with in_transaction():
        await save_and_announce(instance, actor)
    await remove_unused_files([f for f in old_files if f], instance.media)
    instance.wake_workers()
    return actor


async def save_and_announce(instance: Instance, actor: Actor) -> None:
    """Save the actor and send its document, as it is now, to its followers' servers in an
    Update (call inside a transaction: both or neither)."""
    document = actor_document(actor, instance.urls, await album_ids(actor))
    body = build_update(
        instance.urls.new_activity(),
        actor.uri,
        document,
        [PUBLIC],
        [instance.urls.followers(actor.username)],
    )
    await actor.save()
    await emit(actor, body, await follower_inboxes(actor), instance.clock, public=True)
