"""The screening hook for inbound media.

Every remote image passes through `screen_media` before it is stored or shown. Today it accepts
everything and says so in the evidence; the AI-media screening work (provenance, declarations,
the ONNX classifier) replaces the body of this function, not its callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MediaContext:
    post_uri: str
    author_uri: str
    text: str
    alt_text: str


@dataclass(frozen=True)
class Verdict:
    outcome: str  # accept | review | refuse
    evidence: list[dict[str, Any]] = field(default_factory=list)


def screen_media(data: bytes, context: MediaContext) -> Verdict:
    return Verdict("accept", [{"signal": "none", "value": "screening not configured"}])
