"""Measuring screening on an admin's own labelled images before trusting it.

`labels.csv` (columns path,label; label ai or real; paths relative to its folder) is run
through the same pipeline as posts; per signal and overall we count refused, reviewed and
accepted images of each label, and for the learned classifier compute ROC AUC and the recall
it reaches at no more than 1 % and 5 % false positives."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cara_fed.errors import UserError
from cloak.imaging import BadImage
from inbox.screening import MediaContext
from inbox.screening.screener import Screener

LABELS = ("ai", "real")


class EvalError(UserError):
    pass


@dataclass
class EvalReport:
    images: Counter = field(default_factory=Counter)
    overall: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in LABELS})
    signals: dict[str, dict[str, Counter]] = field(default_factory=dict)
    scores: list[tuple[float, int]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    left_out_trained: int = 0
    head_threshold: float | None = None  # a trained head's own threshold, from its training

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "images": dict(self.images),
            "overall": {label: dict(c) for label, c in self.overall.items()},
            "signals": {
                name: {label: dict(c) for label, c in by_label.items()}
                for name, by_label in sorted(self.signals.items())
            },
            "unreadable": self.unreadable,
            "left_out_trained": self.left_out_trained,
        }
        if self.scores:
            scores = np.array([s for s, _ in self.scores])
            labels = np.array([y for _, y in self.scores])
            doc["classifier"] = {
                "scored": len(self.scores),
                "roc_auc": roc_auc(scores, labels),
                "recall_at_fpr_1pct": recall_at_fpr(scores, labels, 0.01),
                "recall_at_fpr_5pct": recall_at_fpr(scores, labels, 0.05),
            }
            if self.head_threshold is not None and len(set(labels.tolist())) == 2:
                flagged = scores >= self.head_threshold
                doc["classifier"]["at_head_threshold"] = {
                    "threshold": self.head_threshold,
                    "fpr": float(flagged[labels == 0].mean()),
                    "recall": float(flagged[labels == 1].mean()),
                }
        return doc


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """Probability that a random positive outscores a random negative (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return None
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def recall_at_fpr(scores: np.ndarray, labels: np.ndarray, max_fpr: float) -> float | None:
    """The highest share of positives caught by a threshold that flags at most `max_fpr` of
    the negatives."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return None
    best = 0.0
    for threshold in np.unique(np.concatenate([pos, neg, [np.inf]])):
        if (neg >= threshold).mean() <= max_fpr:
            best = max(best, float((pos >= threshold).mean()))
    return best


def read_labels(folder: Path) -> list[tuple[Path, str]]:
    path = folder / "labels.csv"
    if not path.is_file():
        raise EvalError(f"{path} not found: it needs columns path,label (label ai or real)")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or {"path", "label"} - set(reader.fieldnames):
            raise EvalError(f"{path} needs the columns path,label")
        rows = []
        for number, row in enumerate(reader, 2):
            label = (row["label"] or "").strip().lower()
            if label not in LABELS:
                raise EvalError(f"{path} line {number}: label must be ai or real, not {label!r}")
            image = (folder / row["path"].strip()).resolve()
            if folder.resolve() not in image.parents:
                raise EvalError(f"{path} line {number}: {row['path']!r} is outside the folder")
            rows.append((image, label))
    return rows


def evaluate(screener: Screener, folder: Path) -> EvalReport:
    """A head trained here (`screen-train`) is measured only on images it did not learn
    from: those listed in its file are left out, and counted."""
    report = EvalReport()
    model = screener.classifier() if screener.settings.classifier != "off" else None
    trained_on = getattr(model, "trained_on", frozenset())
    report.head_threshold = getattr(model, "threshold", None)
    for image, label in read_labels(folder):
        try:
            data = image.read_bytes()
        except OSError as exc:
            report.images[label] += 1
            report.unreadable.append(f"{image.name}: {exc}")
            continue
        if trained_on and hashlib.sha256(data).hexdigest() in trained_on:
            report.left_out_trained += 1
            continue
        report.images[label] += 1
        try:
            verdict = screener.screen(data, MediaContext())
        except BadImage as exc:
            report.unreadable.append(f"{image.name}: {exc}")
            continue
        report.overall[label][verdict.outcome] += 1
        for finding in verdict.evidence:
            name = finding["signal"]
            if name == "classifier" and isinstance(finding.get("value"), dict):
                report.scores.append((finding["value"]["score"], int(label == "ai")))
            per_signal = report.signals.setdefault(name, {k: Counter() for k in LABELS})
            per_signal[label][finding["outcome"]] += 1
    return report
