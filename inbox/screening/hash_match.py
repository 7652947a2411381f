"""Matching an image against the hash lists screening trusts: this instance's own and the
lists its admin subscribed to. An index is an immutable snapshot, swapped whole when a list
changes, so screening threads read it without locks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inbox.screening import pdq
from inbox.screening.types import Finding


@dataclass(frozen=True)
class ListedHash:
    list_url: str
    entry_id: str
    action: str  # refuse | review


class HashIndex:
    def __init__(
        self, hashes: list[str], listed: list[ListedHash], fingerprint: tuple = ()
    ) -> None:
        self.columns = np.ascontiguousarray(pdq.to_words(hashes).T)
        self.listed = listed
        self.fingerprint = fingerprint

    def __len__(self) -> int:
        return len(self.listed)

    def match(self, variants: list[str]) -> tuple[ListedHash, int] | None:
        """The best entry within PDQ's match distance of any of the image's dihedral
        variants: a refusing list before a reviewing one, then the nearest."""
        if not self.listed:
            return None
        nearest = pdq.nearest(pdq.to_words(variants), self.columns)
        hits = np.flatnonzero(nearest <= pdq.MATCH_DISTANCE)
        if hits.size == 0:
            return None
        best = min(hits, key=lambda i: (self.listed[i].action != "refuse", int(nearest[i]), int(i)))
        return self.listed[best], int(nearest[best])


EMPTY = HashIndex([], [])


def finding(index: HashIndex, hashed: pdq.PdqHash, variants: list[str]) -> Finding | None:
    """A hash_list finding when the image matches a listed one. A hash of low quality (a
    flat or nearly blank image) is never matched: such images hash alike."""
    if not hashed.trusted:
        return None
    found = index.match(variants)
    if found is None:
        return None
    listed, distance = found
    return Finding(
        "hash_list",
        listed.action,
        f"matches entry {listed.entry_id} of the hash list {listed.list_url} "
        f"(PDQ distance {distance} of {pdq.BITS})",
        {"list": listed.list_url, "entry": listed.entry_id, "distance": distance},
    )


# The signals whose refusal is about the image itself, so worth telling other instances.
# A listed source (who sent it) and a list match (someone else's decision) are not: a list
# republishing other lists would keep an entry alive after its author withdrew it.
PROVENANCE_SIGNALS = frozenset({"c2pa", "iptc", "generator", "watermark"})


@dataclass(frozen=True)
class Listing:
    """An image to list: its hash, from the screening evidence, and why."""

    hash: str
    quality: int
    reason: str


def first_hand_reason(image: dict) -> str | None:
    """ "provenance" or "declaration" when one of those refused this image (its per-image
    evidence), else None."""
    if image.get("verdict") != "refuse":
        return None
    deciding = {e.get("signal") for e in image.get("evidence", ()) if e.get("outcome") == "refuse"}
    if deciding & PROVENANCE_SIGNALS:
        return "provenance"
    return "declaration" if "declaration" in deciding else None


def refusal_listings(per_image: list[dict]) -> list[Listing]:
    """The images of a refusal that a provenance signal or a declaration refused."""
    found = []
    for image in per_image:
        reason = first_hand_reason(image)
        listing = _listing(image, reason) if reason else None
        if listing:
            found.append(listing)
    return found


def rejection_listings(per_image: list[dict]) -> list[Listing]:
    """The held images of a post a moderator rejected as generated."""
    found = []
    for image in per_image:
        listing = _listing(image, "moderator") if image.get("verdict") == "review" else None
        if listing:
            found.append(listing)
    return found


def _listing(image: dict, reason: str) -> Listing | None:
    for e in image.get("evidence", ()):
        value = e.get("value") if e.get("signal") == "pdq" else None
        if isinstance(value, dict) and pdq.is_hex_hash(value.get("hash")):
            quality = value.get("quality")
            if isinstance(quality, int) and quality >= pdq.MIN_QUALITY:
                return Listing(value["hash"], quality, reason)
    return None
