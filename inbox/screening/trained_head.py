"""A head trained on this instance's data (`cara-fed screen-train`), as a file `[screening]`
loads with `classifier = "trained"`. The file keeps what the training measured and the
hashes of the images it was trained on, so that `screen-eval` leaves those out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from inbox.screening.classifier import ENCODER, ClassifierUnavailable, ClipEncoder
from inbox.screening.head_training import CrossValidation, Head

FORMAT = "cara-fed-head/1"


@dataclass(frozen=True)
class HeadFile:
    head: Head
    validation: CrossValidation
    trained_on: frozenset[str]  # sha256 of each training image
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        v = self.validation
        return {
            "format": FORMAT,
            "encoder": ENCODER,
            "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sources": list(self.sources),
            "mean": self.head.mean.round(8).tolist(),
            "scale": self.head.scale.round(8).tolist(),
            "weights": self.head.weights.round(8).tolist(),
            "bias": self.head.bias,
            "threshold": v.threshold,
            "cross_validation": {
                "folds": v.folds,
                "ai": v.ai,
                "real": v.real,
                "roc_auc": v.auc,
                "target_fpr": v.target_fpr,
                "fpr": v.fpr,
                "fpr_upper_95": v.fpr_upper_95,
                "recall": v.recall,
                "warnings": list(v.warnings),
            },
            "trained_on": sorted(self.trained_on),
        }


def write(path: Path, head_file: HeadFile) -> None:
    path.write_text(json.dumps(head_file.to_json()) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, Any]:
    """The head file's document, checked; raises ClassifierUnavailable."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClassifierUnavailable(f"cannot read the trained head {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ClassifierUnavailable(f"{path} is not a head made by cara-fed screen-train")
    if doc.get("encoder") != ENCODER:
        raise ClassifierUnavailable(
            f"{path} was trained on {doc.get('encoder')!r}, not the bundled {ENCODER}"
        )
    for key in ("mean", "scale", "weights"):
        if not isinstance(doc.get(key), list) or len(doc[key]) != 512:
            raise ClassifierUnavailable(f"{path}: {key} is not 512 numbers")
    return doc


class TrainedHead:
    """The bundled encoder's embedding through a head trained here."""

    def __init__(self, path: Path, encoder: ClipEncoder) -> None:
        doc = read(path)
        self.encoder = encoder
        self.head = Head(
            np.asarray(doc["mean"], dtype=np.float64),
            np.asarray(doc["scale"], dtype=np.float64),
            np.asarray(doc["weights"], dtype=np.float64),
            float(doc["bias"]),
        )
        validation = doc.get("cross_validation", {})
        self.name = (
            f"head trained here ({path.name}; cross-validated ROC AUC "
            f"{validation.get('roc_auc', 0):.2f} on {validation.get('ai', 0)} generated and "
            f"{validation.get('real', 0)} real images)"
        )
        self.threshold = float(doc.get("threshold", 0.0))
        self.trained_on = frozenset(doc.get("trained_on", ()))

    def embedding(self, image: Image.Image) -> np.ndarray:
        return self.encoder.embedding(image)

    def score(self, image: Image.Image) -> dict[str, Any]:
        return self.score_embedding(self.embedding(image))

    def score_embedding(self, embedding: np.ndarray) -> dict[str, Any]:
        return {"score": float(self.head.scores(embedding[np.newaxis])[0])}
