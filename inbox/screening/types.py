"""What a screening returns: a verdict and the evidence that led to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

ACCEPT, REVIEW, REFUSE = "accept", "review", "refuse"
# Not a screening result: the image could not be fetched or read, so it was never screened.
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class MediaContext:
    """What the post says around an image; `listed_as` is set when the sender's account or
    domain is on the admin's list of generated-art sources."""

    post_uri: str = ""
    author_uri: str = ""
    text: str = ""
    alt_text: str = ""
    tags: tuple[str, ...] = ()
    listed_as: str | None = None


@dataclass(frozen=True)
class Finding:
    """One signal that fired (or, for the classifier, one score recorded)."""

    signal: str
    outcome: str  # refuse | review | advice
    detail: str
    value: Any = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    outcome: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # The bundled encoder's embedding (a numpy vector) when the classifier computed one: not
    # evidence, but kept with a moderation decision to train a head on.
    embedding: Any = field(default=None, compare=False, repr=False)

    @property
    def reason(self) -> str:
        """The deciding findings in one sentence, for the person who posted."""
        deciding = [e for e in self.evidence if e.get("outcome") == self.outcome]
        return "; ".join(f"{e['signal']}: {e['detail']}" for e in deciding) or self.outcome


def combine(findings: list[Finding]) -> Verdict:
    """Refuse if any signal refuses, else review if any asks for it, else accept."""
    outcomes = {f.outcome for f in findings}
    outcome = REFUSE if REFUSE in outcomes else REVIEW if REVIEW in outcomes else ACCEPT
    return Verdict(outcome, [f.to_json() for f in findings])


def with_finding(verdict: Verdict, finding: Finding) -> Verdict:
    """`verdict` with one more finding, its outcome recombined (a signal found after the
    screening thread, such as a remote detector's answer)."""
    evidence = [*verdict.evidence, finding.to_json()]
    outcomes = {e.get("outcome") for e in evidence}
    outcome = REFUSE if REFUSE in outcomes else REVIEW if REVIEW in outcomes else ACCEPT
    return replace(verdict, outcome=outcome, evidence=evidence)


def per_image_evidence(hashes: list[str | None], verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """A moderation record's evidence: each image's hash, verdict and findings, in order."""
    return [
        {"image": i, "sha256": h, "verdict": v.outcome, "evidence": v.evidence}
        for i, (h, v) in enumerate(zip(hashes, verdicts, strict=True))
    ]
