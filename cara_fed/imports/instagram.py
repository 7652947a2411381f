"""Instagram's data export ("Download your information", JSON), as it is downloaded today: the
posts in `content/posts_1.json` or, in newer exports, `your_instagram_activity/content/
posts_1.json` (and `posts_2.json`... when there are many), a list of posts each with `media[]`
(`uri` relative to the archive's root, `creation_timestamp` in Unix seconds, `title`), and for a
carousel a post-level `title` and `creation_timestamp`.

As Pixelfed reads it (ImportPostController): a carousel's caption and date are the post's, a
single image's are its media's; the original date is kept. Unlike Pixelfed, every posts_N.json
is read, every date is kept (Pixelfed skips years outside 2009-2023), JPEG/PNG/WebP/GIF are
taken, and a post with a video keeps its images and says the video was left out.

Meta writes the text as UTF-8 bytes each escaped as a Latin-1 character (`\\u00c3\\u00a9` for
"é"): `repair` turns them back when that is what they are."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from cara_fed.imports.archive import MAX_JSON_BYTES, Archive, BadArchive
from cara_fed.imports.items import MAX_FILES, ImportItem, is_image_name, tags_in, title_of

INDEX = re.compile(r"^(?:your_instagram_activity/)?content/posts_(\d+)\.json$")


def repair(text: str) -> str:
    """Undo Meta's mojibake: text whose characters are all bytes and that decodes as UTF-8
    was UTF-8 read as Latin-1. Text that is already right (an emoji, a "ü" alone) is kept."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def read(archive: Archive) -> list[ImportItem]:
    indexes = sorted(
        (int(m.group(1)), name) for name in archive.members() if (m := INDEX.match(name))
    )
    if not indexes:
        raise BadArchive(
            "this is not an Instagram export: it has no content/posts_1.json (ask Instagram "
            "for your information in JSON format, with your posts)"
        )
    items: list[ImportItem] = []
    for _, name in indexes:
        try:
            posts = json.loads(archive.read(name, MAX_JSON_BYTES))
        except ValueError:
            raise BadArchive(f"{name} is not valid JSON") from None
        if not isinstance(posts, list):
            raise BadArchive(f"{name} is not a list of posts, as Instagram writes it")
        items.extend(_item(post, archive, f"{name}#{n}") for n, post in enumerate(posts))
    return items


def _item(post: Any, archive: Archive, where: str) -> ImportItem:
    media = post.get("media") if isinstance(post, dict) else None
    if not isinstance(media, list) or not media or not all(isinstance(m, dict) for m in media):
        raise BadArchive(f"{where} is not an Instagram post (it has no media list)")
    first = media[0]
    carousel = len(media) > 1
    caption = repair(str((post.get("title") if carousel else first.get("title")) or ""))
    stamp = (post if carousel else first).get("creation_timestamp") or first.get(
        "creation_timestamp"
    )
    if not isinstance(stamp, int | float) or stamp <= 0:
        raise BadArchive(f"{where} has no creation_timestamp")
    made_at = datetime.fromtimestamp(stamp, UTC)
    uris = [str(m.get("uri") or "") for m in media]
    key = f"instagram:{uris[0]}:{int(stamp)}"
    label = f"the post of {made_at:%Y-%m-%d %H:%M} ({uris[0]})"
    images = [uri for uri in uris if is_image_name(uri)]
    notes = [f"{uri}: a video or other file, not an image; left out" for uri in uris
             if uri not in images]  # fmt: skip
    missing = [uri for uri in images if not archive.has(uri)]
    if missing:
        return ImportItem(key, label, made_at, skipped=f"{missing[0]} is not in the archive")
    if not images:
        return ImportItem(key, label, made_at, skipped="it has no image (a video is not imported)")
    if len(images) > MAX_FILES:
        notes.append(f"only the first {MAX_FILES} of its {len(images)} images")
        images = images[:MAX_FILES]
    return ImportItem(
        key, label, made_at,
        files=tuple(images),
        title=title_of(caption),
        description=caption,
        tags=tags_in(caption),
        notes=tuple(notes),
    )  # fmt: skip
