"""ActivityStreams → this instance's model values: the inbound direction of `to_as.py`.

Pure: nothing here reads or writes the database, so what a remote document becomes is in one
place and testable without a server (GoToSocial keeps the same split in `typeutils`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from activitypub.actor import RemoteActor
from activitypub.note import Note, visibility_of
from activitypub.values import host_of
from cara_fed.store.models import MediaAttachment

if TYPE_CHECKING:  # only a type here: the inbox imports this module through its storage
    from inbox.remote_media import ScreenedImage


def actor_values(remote: RemoteActor, fetched_at: datetime) -> dict[str, Any]:
    """An `actors` row's fields from a remote actor document (its uri is the key, not here)."""
    return {
        "actor_type": remote.type,
        "username": remote.preferred_username,
        "domain": host_of(remote.id),
        "display_name": remote.name,
        "summary": remote.summary,
        "url": remote.url,
        "inbox": remote.inbox,
        "shared_inbox": remote.shared_inbox,
        "outbox": remote.outbox,
        "followers_url": remote.followers,
        "following_url": remote.following,
        "featured_url": remote.featured,
        "key_id": remote.key_id,
        "public_key_pem": remote.public_key_pem,
        "manually_approves_followers": remote.manually_approves_followers,
        "discoverable": remote.discoverable,
        "indexable": remote.indexable,
        "icon_url": remote.icon_url,
        "image_url": remote.image_url,
        "also_known_as": list(remote.also_known_as),
        "fetched_at": fetched_at,
    }


def post_values(note: Note, followers_url: str | None, *, held: bool) -> dict[str, Any]:
    """A remote `posts` row's fields that an edit may change (not uri, author or published)."""
    return {
        "url": note.url,
        "content": note.content,
        "summary": note.summary,
        "sensitive": note.sensitive,
        "in_reply_to": note.in_reply_to,
        "visibility": visibility_of(note, followers_url),
        "recipients": note.to + note.cc,
        "x_robots_tag": note.x_robots_tag,
        "tags": list(note.tags),
        "held": held,
    }


def attachment_rows(note: Note, images: Sequence[ScreenedImage]) -> list[MediaAttachment]:
    """Unsaved media rows, in the note's order. What the sender declared (size, blurhash,
    focal point, description) is kept; what the fetched bytes say fills what it left out."""
    rows = []
    for position, (att, image) in enumerate(zip(note.attachments, images, strict=True)):
        info, kept = image.fetched.info, image.kept
        rows.append(
            MediaAttachment(
                position=position,
                remote_url=att.url,
                file_name=kept.file_name if kept else None,
                thumb_file=kept.thumb_file if kept else None,
                thumb_width=kept.thumb_width if kept else None,
                thumb_height=kept.thumb_height if kept else None,
                media_type=info.media_type if info else att.media_type,
                description=att.name,
                width=att.width or (info.width if info else None),
                height=att.height or (info.height if info else None),
                blurhash=att.blurhash,
                focal_x=att.focal_point[0],
                focal_y=att.focal_point[1],
                size_bytes=image.fetched.size,
                sha256=image.fetched.sha256,
                screening_verdict=image.verdict.outcome,
                screening_evidence=image.verdict.evidence,
                credentials=image.credentials,
            )
        )
    return rows
