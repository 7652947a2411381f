"""A Mastodon archive ("Request your archive"): `outbox.json`, an OrderedCollection of the
account's activities oldest first, and the media under `media_attachments/`. Mastodon's
BackupService writes each attachment's `url` as its path in the archive (the URL's path with
its leading `/system/` taken off); on object storage the path may keep a prefix, so the file
is found by its `media_attachments/...` tail.

Kept: the account's own posts with at least one image, public, unlisted or followers-only, as
works carrying their original date, content warning, alt texts and hashtags, and the status's
URL as the work's source. Left out, each with its reason: boosts, replies to others, direct
messages, posts without an image (a cara-fed work is images), videos and audio. An archive
made by cara-fed (services/exports.py) also gives each work's title, description, albums
and pin (cara_fed.json), so a move between two instances keeps them."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from activitypub.vocab import PUBLIC
from cara_fed.imports.archive import MAX_JSON_BYTES, Archive, BadArchive
from cara_fed.imports.items import MAX_FILES, ImportItem, is_image_name, tags_in, title_of

OUTBOX = "outbox.json"
CARA_FED = "cara_fed.json"


def read(archive: Archive) -> list[ImportItem]:
    if not archive.has(OUTBOX):
        raise BadArchive("this is not a Mastodon archive: it has no outbox.json")
    try:
        outbox = json.loads(archive.read(OUTBOX, MAX_JSON_BYTES))
    except ValueError:
        raise BadArchive("outbox.json is not valid JSON") from None
    items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
    if not isinstance(items, list):
        raise BadArchive("outbox.json has no orderedItems list, as Mastodon writes it")
    media = _media_by_tail(archive)
    works = _cara_fed_works(archive)
    return [_with_work(_item(activity, n, media), activity, works)
            for n, activity in enumerate(items) if isinstance(activity, dict)]  # fmt: skip


def _cara_fed_works(archive: Archive) -> dict[str, dict[str, Any]]:
    """What a cara-fed export adds beside Mastodon's files (cara_fed.json): each work's title,
    description, albums (at most 20) and pin, by the work's id. Other archives have none."""
    if not archive.has(CARA_FED):
        return {}
    try:
        works = json.loads(archive.read(CARA_FED, MAX_JSON_BYTES)).get("works")
    except (ValueError, AttributeError):
        raise BadArchive(f"{CARA_FED} is not the JSON a cara-fed export writes") from None
    return works if isinstance(works, dict) else {}


def _with_work(item: ImportItem, activity: dict[str, Any], works: dict) -> ImportItem:
    note = activity.get("object")
    work = works.get(note.get("id")) if isinstance(note, dict) else None
    if item.skipped or not isinstance(work, dict):
        return item
    albums = [a for a in work.get("albums") or [] if isinstance(a, str) and a.strip()]
    return replace(
        item,
        title=str(work.get("title") or "")[:200],
        description=str(work.get("description") or ""),
        album=albums[0][:200] if albums else None,
        more_albums=tuple(dict.fromkeys(a[:200] for a in albums[1:20])),
        pinned=work.get("pinned") is True,
    )


def _media_by_tail(archive: Archive) -> dict[str, str]:
    """Archive names by their `media_attachments/...` tail."""
    out = {}
    for name in archive.members():
        at = name.find("media_attachments/")
        if at >= 0:
            out[name[at:]] = name
    return out


def _item(activity: dict[str, Any], n: int, media: dict[str, str]) -> ImportItem:
    note = activity.get("object")
    inner = note.get("published") if isinstance(note, dict) else None
    when = _date(activity.get("published") or inner)
    key = f"mastodon:{activity.get('id') or n}"
    if activity.get("type") != "Create" or not isinstance(note, dict):
        kind = activity.get("type") or "activity"
        return ImportItem(key, f"item {n + 1} ({kind})", when, skipped=f"a {kind}, not a post")
    source = note.get("url") if isinstance(note.get("url"), str) else note.get("id")
    label = f"the post of {when:%Y-%m-%d %H:%M} ({source})"
    if note.get("inReplyTo"):
        return ImportItem(key, label, when, skipped="a reply")
    audience = [*_list(note.get("to")), *_list(note.get("cc"))]
    if PUBLIC not in audience and not any(str(a).endswith("/followers") for a in audience):
        return ImportItem(key, label, when, skipped="a direct message")
    files, alts, notes = [], [], []
    for attachment in _list(note.get("attachment")):
        if not isinstance(attachment, dict) or not isinstance(attachment.get("url"), str):
            continue  # a link preview, not media
        path = attachment["url"].lstrip("/")
        at = path.find("media_attachments/")
        name = media.get(path[at:]) if at >= 0 else None
        if not is_image_name(path):
            notes.append(f"{path}: not an image; left out")
        elif name is None:
            notes.append(f"{path}: not in the archive; left out")
        else:
            files.append(name)
            alts.append(str(attachment.get("name") or ""))
    if not files:
        reason = "it has no image in the archive"
        return ImportItem(key, label, when, skipped=reason, notes=tuple(notes))
    text = html_to_text(str(note.get("content") or ""))
    hashtags = [t.get("name", "").lstrip("#") for t in _list(note.get("tag"))
                if isinstance(t, dict) and t.get("type") == "Hashtag"]  # fmt: skip
    return ImportItem(
        key, label, when,
        files=tuple(files[:MAX_FILES]),
        alts=tuple(alts[:MAX_FILES]),
        title=title_of(text),
        description=text,
        summary=str(note.get("summary") or "").strip()[:500],
        tags=tuple(dict.fromkeys([*hashtags, *tags_in(text)])),
        source_url=source if isinstance(source, str) else None,
        notes=tuple(notes),
    )  # fmt: skip


def html_to_text(content: str) -> str:
    """A status's HTML as the words its author typed: paragraphs and line breaks kept, links
    and mentions as their text."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _date(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadArchive(f"a post in outbox.json has no readable date: {value!r}") from None
