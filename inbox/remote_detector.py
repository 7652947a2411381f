"""A remote detection service, as Cara uses a third-party detector: the image is sent to a URL
the admin configured and the answer is one more screening signal. The image leaves the
instance, so only world-readable posts (public, unlisted) are sent unless the admin allows
all. A detector that cannot be asked or answers nonsense sends the image to review: an
outage must never let images through unscreened, nor refuse them on no evidence.

The contract (the reference service, `cara-fed detector serve`, speaks it):

    POST <url>
    Authorization: Bearer <secret>
    Content-Type: the image's type (image/png, image/jpeg, image/webp, image/gif)
    body: the image, as received

    200 {"score": <0..1, how likely the image is generated>, "model": "<name>"}
    401 wrong secret · 413 image too large · 415 not an image · 503 model not available
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass

from PIL import Image

from federation.http_client import FetchError, GuardedClient
from inbox.screening.types import REFUSE, REVIEW, Finding, Verdict, with_finding

MAX_ANSWER_BYTES = 16_384


@dataclass(frozen=True)
class DetectorSettings:
    url: str
    secret: str
    timeout_seconds: float
    threshold: float
    outcome: str  # review | refuse, for a score at or above the threshold
    sends_all: bool = False  # followers-only and direct posts too

    def sends(self, visibility: str) -> bool:
        return self.sends_all or visibility in ("public", "unlisted")


def from_config(screening, user_agent: str) -> RemoteDetector | None:
    """The detector `[screening]` names, or None when remote_detector_url is empty."""
    if not screening.remote_detector_url or not screening.enabled:
        return None
    return RemoteDetector(
        DetectorSettings(
            url=screening.remote_detector_url,
            secret=screening.remote_detector_secret,
            timeout_seconds=screening.remote_detector_timeout_seconds,
            threshold=screening.remote_detector_threshold,
            outcome=screening.remote_detector_outcome,
            sends_all=screening.remote_detector_posts == "all",
        ),
        user_agent,
    )


class RemoteDetector:
    def __init__(self, settings: DetectorSettings, user_agent: str) -> None:
        self.settings = settings
        # The admin named this address, so it may be on this machine or the local network
        # (a detector beside the server is the usual set-up); size and time stay bounded.
        self._client = GuardedClient(
            allow_private=True,
            user_agent=user_agent,
            timeout=settings.timeout_seconds,
            max_bytes=MAX_ANSWER_BYTES,
            max_redirects=0,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _headers(self, media_type: str) -> dict[str, str]:
        headers = {
            "Content-Type": media_type or "application/octet-stream",
            "Accept": "application/json",
        }
        if self.settings.secret:
            headers["Authorization"] = f"Bearer {self.settings.secret}"
        return headers

    async def check(self, data: bytes, media_type: str) -> Finding:
        url = self.settings.url
        try:
            response = await self._client.request(
                "POST",
                url,
                headers=self._headers(media_type),
                content=data,
            )
        except FetchError as exc:
            return _unusable(url, str(exc))
        if response.status != 200:
            return _unusable(url, f"it answered {response.status}")
        try:
            answer = json.loads(response.body)
        except (ValueError, RecursionError):
            return _unusable(url, "its answer is not JSON")
        score = answer.get("score") if isinstance(answer, dict) else None
        if (
            not isinstance(score, int | float)
            or isinstance(score, bool)
            or not math.isfinite(score)
            or not 0 <= score <= 1
        ):
            return _unusable(url, "its answer has no score from 0 to 1")
        model = answer.get("model")
        model = model[:200] if isinstance(model, str) else "unnamed"
        flagged = score >= self.settings.threshold
        return Finding(
            "remote_detector",
            self.settings.outcome if flagged else "advice",
            f"{model} at {url} scored {score:.3f}"
            + (f" ≥ {self.settings.threshold}" if flagged else " (below its threshold)"),
            {"url": url, "model": model, "score": float(score)},
        )


def _unusable(url: str, why: str) -> Finding:
    return Finding(
        "remote_detector",
        REVIEW,
        f"the detector at {url} could not be used ({why}): held for a moderator",
        {"url": url, "error": why},
    )


async def consult(
    detector: RemoteDetector | None, verdict: Verdict, data: bytes, visibility: str
) -> Verdict:
    """`verdict` with the detector's finding, when there is a detector, the image is not
    refused already, and the post's visibility lets its images leave the instance."""
    if detector is None or verdict.outcome == REFUSE or not detector.settings.sends(visibility):
        return verdict
    return with_finding(verdict, await detector.check(data, _media_type(data)))


def _media_type(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.get_format_mimetype() or "application/octet-stream"
    except (OSError, ValueError):
        return "application/octet-stream"
