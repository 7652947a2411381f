"""What a post may be, and the errors that say why it is not: limits, visibility, tags, titles
and alt text. Shared by the web studio, the CLI and the album and work-image services."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from cara_fed.errors import UserError
from cara_fed.store.models import Actor
from inbox.screening.types import Verdict

if TYPE_CHECKING:
    from cara_fed.instance import Instance

MAX_IMAGES = 20
# What a member may choose for a work on the web.
VISIBILITIES = ("public", "unlisted", "followers")
# From an app a status may also be "direct": seen only by the people it names.
DIRECT = "direct"
MAX_ALT_LENGTH = 1500
MAX_TEXT_LENGTH = 5000
MAX_TITLE_LENGTH = 200
MAX_TAGS = 30
# Mastodon's hashtag alphabet: letters, digits, marks and underscores, in any script.
TAG = re.compile(r"^[^\W]{1,100}$")


class PostError(UserError):
    pass


@dataclass(frozen=True)
class Upload:
    """One image of a draft. `verdict` is its screening when that already ran (the client
    API screens an upload when it arrives, as Mastodon processes media before the status);
    `focus` is the point (-1..1 each way, Mastodon's) that crops should keep."""

    data: bytes
    alt: str
    verdict: Verdict | None = None
    focus: tuple[float, float] = (0.0, 0.0)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def parse_tags(text: str) -> list[str]:
    """Hashtags from what a person typed ("#ink, watercolour sketch"): without "#", in
    order, each once (compared case-insensitively, as Mastodon does)."""
    tags: list[str] = []
    seen: set[str] = set()
    for word in re.split(r"[\s,]+", text):
        word = word.strip().lstrip("#")
        if not word:
            continue
        if not TAG.match(word):
            raise PostError(
                f"#{word} is not a hashtag: use letters, digits and underscores, no spaces"
            )
        if word.casefold() not in seen:
            seen.add(word.casefold())
            tags.append(word)
    if len(tags) > MAX_TAGS:
        raise PostError(f"a work can have at most {MAX_TAGS} tags")
    return tags


def alt_text_required(instance: Instance, author: Actor) -> bool:
    """The artist's own choice, else the instance's (required unless an admin says not)."""
    if author.require_alt_text is not None:
        return author.require_alt_text
    return instance.config.media.require_alt_text


def missing_alt_text(number: int) -> PostError:
    return PostError(f"image {number} has no alt text: describe it for people who cannot see it")


def check_alt_texts(alts: list[str], *, required: bool = True) -> None:
    for number, alt in enumerate(alts, 1):
        if required and not alt.strip():
            raise missing_alt_text(number)
        if len(alt) > MAX_ALT_LENGTH:
            raise PostError(f"image {number}'s alt text is over {MAX_ALT_LENGTH} characters")


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_LENGTH:
        raise PostError(f"the title is longer than {MAX_TITLE_LENGTH} characters")
    return title


@dataclass(frozen=True)
class Mention:
    """Someone a status names: the words that named them, their actor id, their profile."""

    written: str
    uri: str
    url: str


@dataclass(frozen=True)
class PostDraft:
    """What an artist asks to publish: the images and everything said about them. `cloak`
    overrides the artist's setting for this post, and `cloak_strength` (off, or a strength's
    name) says how strong a cloak, when the instance runs it. `visibility` is "public",
    "unlisted" or "followers" (served and sent only to accepted followers), or from an app
    "direct" (only to the people named). `album_id`, one of the author's albums, gets the
    work appended. `in_reply_to` is the id of the post this answers; `mentions` the people
    named, who are addressed and told. A status without images must
    answer a post or be direct: a work has images, a comment need not."""

    uploads: tuple[Upload, ...]
    text: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    sensitive: bool = False
    visibility: str = "public"
    album_id: int | None = None
    cloak: bool | None = None
    cloak_strength: str | None = None
    in_reply_to: str | None = None
    mentions: tuple[Mention, ...] = ()
    # How the artist says the work was made (digital, photo, scan), for its Content
    # Credentials; None: the artist's default.
    made_as: str | None = None
