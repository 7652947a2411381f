"""Signal 5: the post declares its images generated (#aiart, "made with AI", alt text such as
"AI-generated image of …"). The list lives in data/declarations.txt so admins can read it.

Precision first: tags match whole, phrases match whole words, and a phrase that follows a
negation ("not AI generated", "no AI") is a human's claim, not a declaration.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from inbox.screening.types import Finding, MediaContext

DATA = Path(__file__).parent / "data" / "declarations.txt"
NEGATIONS = frozenset({"not", "no", "never", "without", "isnt", "isn't", "non", "anti", "zero"})
_TAG = re.compile(r"(?<![\w/])#(\w+)", re.UNICODE)
_HTML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Declarations:
    tags: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]


def normalise(text: str) -> str:
    """Case-folded, accents removed, HTML stripped, hyphens and punctuation as spaces."""
    text = unescape(_HTML_TAG.sub(" ", text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", normalise(text).replace("-", " ").replace("·", " "))


@lru_cache(maxsize=1)
def load(path: Path = DATA) -> Declarations:
    tags, phrases = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        kind, _, value = line.strip().partition(" ")
        if kind == "tag":
            tags.add(normalise(value.strip()))
        elif kind == "phrase":
            phrases.append(tuple(_words(value)))
    return Declarations(frozenset(tags), tuple(phrases))


def _declared_phrase(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> str | None:
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase:
                before = words[max(0, i - 3) : i]
                if not NEGATIONS.intersection(before):
                    return " ".join(phrase)
    return None


def check(
    context: MediaContext, outcome: str, declarations: Declarations | None = None
) -> Finding | None:
    if outcome == "off":
        return None
    found = declarations or load()
    tags = {normalise(t.lstrip("#")) for t in context.tags}
    # Tags are read with markup removed in place: Mastodon writes #<span>aiart</span>.
    tags |= {normalise(t) for t in _TAG.findall(unescape(_HTML_TAG.sub("", context.text)))}
    hit = sorted(tags & found.tags)
    if hit:
        return Finding("declaration", outcome, f"the post is tagged #{hit[0]}", {"tags": hit})
    for where, text in (("text", context.text), ("alt text", context.alt_text)):
        phrase = _declared_phrase(_words(text), found.phrases)
        if phrase:
            return Finding(
                "declaration",
                outcome,
                f"the {where} says \u201c{phrase}\u201d",
                {"phrase": phrase, "in": where},
            )
    return None
