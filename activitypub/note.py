"""Posts as `Note` objects with image attachments, in the shape Mastodon renders as media."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from activitypub.errors import InvalidObject
from activitypub.html import sanitize_html
from activitypub.timefmt import format_time, parse_time
from activitypub.values import (
    as_list,
    first_type,
    http_uri_or_none,
    id_of,
    optional_int,
    optional_str,
    optional_uri,
    require_uri,
    uris,
)
from activitypub.vocab import CONTEXT, MEDIA_TYPES, PUBLIC_ALIASES

MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class Attachment:
    url: str
    media_type: str
    name: str = ""
    width: int | None = None
    height: int | None = None
    blurhash: str | None = None
    focal_point: tuple[float, float] = (0.0, 0.0)
    type: str = "Document"


@dataclass(frozen=True)
class Note:
    id: str
    attributed_to: str
    content: str
    url: str | None
    published: datetime | None
    to: list[str]
    cc: list[str]
    summary: str | None = None
    sensitive: bool = False
    in_reply_to: str | None = None
    updated: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    # Hashtags we publish: (name without "#", href of the tag's page).
    tag_links: tuple[tuple[str, str], ...] = ()
    # People we name: (actor id, "@name@server"), sent as Mention tags.
    mention_links: tuple[tuple[str, str], ...] = ()
    # FEP-5e53: process the object as if served with this X-Robots-Tag (e.g. "noai").
    x_robots_tag: str | None = None


def visibility_of(note: Note, followers_url: str | None) -> str:
    """Mastodon's four audiences, read from the addressing as Mastodon reads it: public in
    `to` is public, in `cc` unlisted; the author's followers collection is followers-only;
    anything else is direct."""
    if PUBLIC_ALIASES & set(note.to):
        return "public"
    if PUBLIC_ALIASES & set(note.cc):
        return "unlisted"
    if followers_url and followers_url in note.to + note.cc:
        return "followers"
    return "direct"


def build_attachment(att: Attachment) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "type": att.type,
        "mediaType": att.media_type,
        "url": att.url,
        "name": att.name or None,
        # Mastodon reads alt text from summary first, GoToSocial writes it there.
        "summary": att.name or None,
        "focalPoint": [att.focal_point[0], att.focal_point[1]],
    }
    if att.blurhash:
        doc["blurhash"] = att.blurhash
    if att.width and att.height:
        doc["width"] = att.width
        doc["height"] = att.height
    return doc


def build_note(note: Note, *, with_context: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if with_context:
        doc["@context"] = CONTEXT
    doc.update(
        {
            "id": note.id,
            "type": "Note",
            "attributedTo": note.attributed_to,
            "content": note.content,
            "summary": note.summary or None,
            "sensitive": note.sensitive,
            "inReplyTo": note.in_reply_to,
            "published": format_time(note.published) if note.published else None,
            "url": note.url,
            "to": note.to,
            "cc": note.cc,
            "attachment": [build_attachment(a) for a in note.attachments],
            "tag": [
                {"type": "Hashtag", "name": f"#{name}", "href": href}
                for name, href in note.tag_links
            ]
            + [
                {"type": "Mention", "href": href, "name": name} for href, name in note.mention_links
            ],
        }
    )
    if note.updated:
        doc["updated"] = format_time(note.updated)
    if note.x_robots_tag:
        doc["xRobotsTag"] = note.x_robots_tag
    return doc


def _attachment_url(value: Any) -> tuple[str | None, str | None]:
    """`url` may be a string, a Link, or a list of Links; prefer the first with an href."""
    for entry in as_list(value):
        if isinstance(entry, str):
            return entry, None
        if isinstance(entry, dict):
            href = entry.get("href") or id_of(entry)
            if isinstance(href, str):
                media = entry.get("mediaType")
                return href, media if isinstance(media, str) else None
    return None, None


def _focal_point(value: Any) -> tuple[float, float]:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        x, y = (max(-1.0, min(1.0, float(v))) for v in value)
        return (x, y)
    return (0.0, 0.0)


def parse_attachment(obj: Any) -> Attachment | None:
    """One media attachment, or None for entries that are not media (PropertyValue, Link...)."""
    if not isinstance(obj, dict):
        return None
    kind = next((t for t in as_list(obj.get("type")) if t in MEDIA_TYPES), None)
    if kind is None:
        return None
    url, link_media_type = _attachment_url(obj.get("url"))
    if not url:
        return None
    url = require_uri(url, "attachment url")
    media_type = optional_str(obj.get("mediaType"), "attachment mediaType", 255) or link_media_type
    blurhash = optional_str(obj.get("blurhash"), "blurhash", 200)
    return Attachment(
        url=url,
        media_type=media_type or "application/octet-stream",
        name=(
            optional_str(obj.get("name"), "attachment name", 10_000)
            or optional_str(obj.get("summary"), "attachment summary", 10_000)
            or ""
        ).strip(),
        width=optional_int(obj.get("width"), "attachment width"),
        height=optional_int(obj.get("height"), "attachment height"),
        blurhash=blurhash,
        focal_point=_focal_point(obj.get("focalPoint")),
        type=kind,
    )


def parse_note(obj: Any) -> Note:
    """A post from another server, read strictly; raises InvalidObject with the reason."""
    if not isinstance(obj, dict):
        raise InvalidObject("object must be a JSON object")
    kind = first_type(obj)
    if kind not in ("Note", "Article", "Page", "Question"):
        raise InvalidObject(f"unsupported object type {kind!r}")
    attachments = [a for a in map(parse_attachment, as_list(obj.get("attachment"))) if a]
    content = optional_str(obj.get("content"), "content", 200_000)
    if content is None and isinstance(obj.get("contentMap"), dict):
        content = next((v for v in obj["contentMap"].values() if isinstance(v, str)), None)
    url, _ = _attachment_url(obj.get("url"))
    return Note(
        id=require_uri(obj.get("id"), "object id"),
        attributed_to=require_uri((as_list(obj.get("attributedTo")) or [None])[0], "attributedTo"),
        content=sanitize_html(content or ""),
        url=http_uri_or_none(url),
        published=parse_time(obj.get("published"), "published"),
        updated=parse_time(obj.get("updated"), "updated"),
        to=uris(obj.get("to"), "to"),
        cc=uris(obj.get("cc"), "cc"),
        summary=optional_str(obj.get("summary"), "summary", 10_000) or None,
        sensitive=obj.get("sensitive") is True,
        in_reply_to=optional_uri(obj.get("inReplyTo"), "inReplyTo"),
        attachments=attachments[:MAX_ATTACHMENTS],
        tags=_hashtags(obj.get("tag")),
        x_robots_tag=optional_str(obj.get("xRobotsTag"), "xRobotsTag", 200),
    )


def _hashtags(value: Any) -> tuple[str, ...]:
    """Names of the Hashtag entries in `tag` (mentions and emoji are other types)."""
    names = []
    for entry in as_list(value)[:100]:
        if isinstance(entry, dict) and entry.get("type") == "Hashtag":
            name = entry.get("name")
            if isinstance(name, str) and 0 < len(name) <= 200:
                names.append(name.lstrip("#"))
    return tuple(names)
