"""The screening pipeline: one call takes image bytes and what the post says around them and
returns a verdict with its evidence.

Provenance and declarations decide; the learned classifier only advises unless the admin sets
a review threshold (on 477 independent images the bundled probe scored ROC AUC 0.51). CPU-heavy:
callers run `screen` in a worker thread, never on the event loop.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np

from cloak.imaging import open_image
from inbox.screening import c2pa_manifest, declaration, generator, hash_match, iptc, pdq, watermark
from inbox.screening import classifier as classifier_module
from inbox.screening.metadata import read_metadata
from inbox.screening.settings import ScreeningSettings
from inbox.screening.types import ACCEPT, Finding, MediaContext, Verdict, combine

log = logging.getLogger(__name__)


class Screener:
    def __init__(
        self,
        settings: ScreeningSettings,
        *,
        models_dir: Path,
        max_pixels: int,
        config_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self._models_dir = models_dir
        self._config_dir = config_dir or Path.cwd()
        self._max_pixels = max_pixels
        self._classifier: classifier_module.Classifier | None = None
        self._classifier_error: str | None = None
        self._classifier_lock = threading.Lock()
        # Swapped whole by the async side when a list changes (store/hash_lists.current_index).
        self.hash_index: hash_match.HashIndex = hash_match.EMPTY

    def screen(self, data: bytes, context: MediaContext) -> Verdict:
        """Raises cloak.imaging.BadImage when `data` is not an image we accept."""
        if not self.settings.enabled:
            return Verdict(ACCEPT, [Finding("screening", "advice", "screening is off").to_json()])
        image = open_image(data, self._max_pixels)
        metadata = read_metadata(image)
        hashed, variants = pdq.compute_with_variants(image)
        findings: list[Finding] = []
        for found in (
            c2pa_manifest.check(data),
            iptc.check(metadata),
            generator.check(image, metadata),
            watermark.check(image),
            declaration.check(context, self.settings.declaration_outcome),
            self._listed(context),
            hash_match.finding(self.hash_index, hashed, variants),
        ):
            if found is not None:
                findings.append(found)
        # Refused images are scored too: their embedding, kept with the refusal, is what
        # `screen-train --from-moderation` learns from, and screen-eval's figures would
        # otherwise leave out exactly the images the other signals caught.
        found, embedding = self._classify(image)
        if found is not None:
            findings.append(found)
        # Kept with the evidence so that a refusal, or a moderator's rejection, can be listed
        # (the image itself is not kept).
        findings.append(
            Finding(
                "pdq",
                "advice",
                f"perceptual hash, quality {hashed.quality} of 100",
                {"hash": hashed.hex, "quality": hashed.quality},
            )
        )
        verdict = combine(findings)
        if embedding is not None:
            verdict = replace(verdict, embedding=embedding)
        return verdict

    def classifier(self) -> classifier_module.Classifier | None:
        """Loaded on first use, once per process (the model costs ~180 MB of memory)."""
        with self._classifier_lock:
            if self._classifier is None and self._classifier_error is None:
                try:
                    self._classifier = classifier_module.load_classifier(
                        self.settings, self._models_dir, self._config_dir
                    )
                except classifier_module.ClassifierUnavailable as exc:
                    self._classifier_error = str(exc)
                    log.error("screening classifier unavailable: %s", exc)
            return self._classifier

    def _classify(self, image) -> tuple[Finding | None, np.ndarray | None]:
        if self.settings.classifier == "off":
            return None, None
        model = self.classifier()
        if model is None:
            detail = f"not available: {self._classifier_error}"
            return Finding("classifier", "advice", detail), None
        try:
            return classifier_module.finding(
                model, image, self.settings.classifier_review_threshold
            )
        except ValueError as exc:
            return Finding("classifier", "advice", f"not scored: {exc}"), None

    def _listed(self, context: MediaContext) -> Finding | None:
        outcome = self.settings.listed_source_outcome
        if context.listed_as is None or outcome == "off":
            return None
        return Finding(
            "listed_source",
            outcome,
            f"the sender's {context.listed_as} is listed as a generated-art source",
            {"listed": context.listed_as},
        )
