"""Our posts → the client API's Status, MediaAttachment and Notification entities, beside
to_api.py (instance, apps, accounts). Pure, as the rest of convert/: counts and the viewer's
own state come in as values."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from activitypub.urls import Urls
from cara_fed.convert.to_api import MAX_MEDIA_ATTACHMENTS, timestamp
from cara_fed.store.api_models import ApiUpload, Notification
from cara_fed.store.models import Interaction, MediaAttachment, Post

# Ours → Mastodon's names for who sees a post ("followers" is Mastodon's "private").
VISIBILITY = {
    "public": "public",
    "unlisted": "unlisted",
    "followers": "private",
    "direct": "direct",
}
PENDING_IMAGE = "/placeholders/cloaking.png"


def _size(width: int | None, height: int | None) -> dict[str, Any] | None:
    if not width or not height:
        return None
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 4),
    }


def media_attachment(media: MediaAttachment, urls: Urls) -> dict[str, Any]:
    """A post's image. While its cloak runs the image is not public yet: the author's app
    is given a placeholder ("being cloaked") rather than the uncloaked original."""
    if media.file_name:
        url = urls.media(media.file_name)
        preview = urls.media(media.thumb_file) if media.thumb_file else url
    else:
        url = preview = None if not media.post_id else urls.base + PENDING_IMAGE
    meta: dict[str, Any] = {"focus": {"x": media.focal_x, "y": media.focal_y}}
    original = _size(media.width, media.height)
    if original:
        meta["original"] = original
    small = _size(media.thumb_width, media.thumb_height) or original
    if small:
        meta["small"] = small
    return {
        "id": str(media.pk),
        "type": "image",
        "url": url,
        "preview_url": preview,
        "remote_url": None if media.file_name or not media.remote_url else media.remote_url,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": media.description or None,
        "blurhash": media.blurhash,
    }


def upload_attachment(upload: ApiUpload, urls: Urls) -> dict[str, Any]:
    """An upload not yet in a status: its url is null while it is screened (Mastodon's
    "still processing"), then the placeholder, since nothing of it is public before the
    status is (and, cloaked, only its cloaked rendition ever is)."""
    ready = upload.state != "screening"
    meta: dict[str, Any] = {"focus": {"x": upload.focus_x, "y": upload.focus_y}}
    size = _size(upload.width, upload.height)
    if size:
        meta["original"] = meta["small"] = size
    return {
        "id": str(upload.pk),
        "type": "image",
        "url": urls.base + PENDING_IMAGE if ready else None,
        "preview_url": urls.base + PENDING_IMAGE if ready else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": upload.description or None,
        "blurhash": None,
    }


@dataclass(frozen=True)
class StatusFacts:
    """What one status needs beyond its row: counts, and how the viewer relates to it."""

    favourites: int = 0
    reblogs: int = 0
    replies: int = 0
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)


def _content(post: Post) -> str:
    """A work's title leads its text, as it does on the web and in ActivityPub."""
    if post.local and post.title:
        return f"<p><strong>{escape(post.title)}</strong></p>{post.content}"
    return post.content


def status(
    post: Post,
    media: list[MediaAttachment],
    author: dict[str, Any],
    facts: StatusFacts,
    urls: Urls,
    *,
    own: bool = False,
) -> dict[str, Any]:
    """A post as a Status: at most four images, as Mastodon allows; `url` leads to the whole
    work. `pinned` is said only to its author, as Mastodon does."""
    document = {
        "id": str(post.pk),
        "uri": post.uri,
        "url": post.url or post.uri,
        "created_at": timestamp(post.published),
        "edited_at": timestamp(post.updated) if post.updated else None,
        "account": author,
        "content": _content(post),
        "visibility": VISIBILITY.get(post.visibility, "public"),
        "sensitive": post.sensitive,
        "spoiler_text": post.summary or "",
        "media_attachments": [media_attachment(m, urls) for m in media[:MAX_MEDIA_ATTACHMENTS]],
        "application": None,
        "mentions": facts.mentions,
        "tags": [{"name": tag, "url": urls.tag(tag)} for tag in post.tags or []],
        "emojis": [],
        "reblogs_count": facts.reblogs,
        "favourites_count": facts.favourites,
        "replies_count": facts.replies,
        "in_reply_to_id": facts.in_reply_to_id,
        "in_reply_to_account_id": facts.in_reply_to_account_id,
        "reblog": None,
        "poll": None,
        "card": None,
        "language": None,
        "favourited": facts.favourited,
        "reblogged": facts.reblogged,
        "muted": False,
        "bookmarked": facts.bookmarked,
        "filtered": [],
    }
    if own:
        document["pinned"] = post.pinned_at is not None
    return document


def reblog(row: Interaction, booster: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """A boost as Mastodon shows one: a status of the booster's with nothing of its own but
    the boosted status in `reblog`, which apps display."""
    document = {
        **original,
        "id": str(row.pk),
        "uri": row.activity_uri,
        "url": row.activity_uri,
        "created_at": timestamp(row.created_at),
        "edited_at": None,
        "account": booster,
        "content": "",
        "visibility": "public",
        "sensitive": False,
        "spoiler_text": "",
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "reblogs_count": 0,
        "favourites_count": 0,
        "replies_count": 0,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "reblog": original,
    }
    document.pop("pinned", None)
    return document


def notification(
    row: Notification, account_document: dict[str, Any], status_document: dict[str, Any] | None
) -> dict[str, Any]:
    document = {
        "id": str(row.pk),
        "type": row.kind,
        "created_at": timestamp(row.created_at),
        "group_key": f"ungrouped-{row.pk}",
        "account": account_document,
    }
    if status_document is not None:
        document["status"] = status_document
    return document
