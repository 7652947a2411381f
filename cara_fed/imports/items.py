"""What an export comes to, whatever its kind: the posts to import, each with its files inside
the archive, or the reason it is left out. The readers of each kind (instagram, mastodon_archive,
folder) are pure: an archive in, a list of these out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# Hashtags as Instagram and Mastodon captions carry them (#word, letters, digits, _).
HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})")
# Types an artist's work is imported as; anything else (a video) is left out with a reason.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# Images of one work, as an upload allows.
MAX_FILES = 20


@dataclass(frozen=True)
class ImportItem:
    """One post of the export. `key` identifies it in its archive for good (a re-import or a
    resumed one finds it again); `skipped` says why it will not become a work."""

    key: str
    label: str  # how the report names it to the artist (a date, a file name)
    made_at: datetime
    files: tuple[str, ...] = ()
    title: str = ""
    description: str = ""
    summary: str = ""  # a content warning
    alts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source_url: str | None = None
    album: str | None = None
    # Further albums the work was in (an archive made by cara-fed names them all).
    more_albums: tuple[str, ...] = ()
    pinned: bool = False
    skipped: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # files left out of a kept post


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def tags_in(text: str) -> tuple[str, ...]:
    """The hashtags written in a caption, once each, in order."""
    seen: dict[str, None] = {}
    for tag in HASHTAG.findall(text):
        seen.setdefault(tag, None)
    return tuple(seen)


def title_of(text: str, limit: int = 200) -> str:
    """A work's title from a caption: its first line, without hashtags, cut at a word."""
    line = " ".join(HASHTAG.sub("", text.strip().split("\n", 1)[0]).split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
