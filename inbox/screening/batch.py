"""The screening of one post's images, inbound or uploaded: each image's verdict and content
hash, and what they come to together. Both directions decide and record from this one value,
so the post-level verdict, the moderation evidence and the hashes are made in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inbox.screening.types import ACCEPT, REFUSE, REVIEW, Verdict, per_image_evidence


@dataclass(frozen=True)
class ScreenedBatch:
    verdicts: tuple[Verdict, ...]
    hashes: tuple[str | None, ...]  # sha256 of each image; None where it could not be fetched

    @property
    def outcome(self) -> str:
        """One refused image refuses the post; one held image holds it."""
        outcomes = {v.outcome for v in self.verdicts}
        return REFUSE if REFUSE in outcomes else REVIEW if REVIEW in outcomes else ACCEPT

    @property
    def reason(self) -> str:
        """The deciding findings of the images that decided, for the record and the poster."""
        outcome = self.outcome
        return "; ".join(v.reason for v in self.verdicts if v.outcome == outcome)

    @property
    def evidence(self) -> list[dict[str, Any]]:
        return per_image_evidence(list(self.hashes), list(self.verdicts))

    @property
    def known_hashes(self) -> list[str]:
        return [h for h in self.hashes if h]
