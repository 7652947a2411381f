"""Embeddings kept with moderation decisions, for training a head on this instance's own
decisions (`cara-fed screen-train --from-moderation`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cara_fed.store.models import ModerationRecord, ScreeningEmbedding
from inbox.screening.classifier import ENCODER
from inbox.screening.types import Verdict

DIMENSIONS = 512


async def keep(
    record: ModerationRecord,
    verdicts: Sequence[Verdict | None],
    hashes: Sequence[str | None],
    labels: Sequence[str | None],
) -> int:
    """One row per image that has an embedding; a record that has some already (a
    redelivered activity) is left as it is. Returns how many were kept."""
    if await ScreeningEmbedding.filter(record_id=record.id).exists():
        return 0
    rows = [
        ScreeningEmbedding(
            record_id=record.id,
            image=position,
            sha256=sha256,
            encoder=ENCODER,
            vector=np.asarray(verdict.embedding, dtype="<f2").tobytes(),
            label=label,
        )
        for position, (verdict, sha256, label) in enumerate(
            zip(verdicts, hashes, labels, strict=True)
        )
        if verdict is not None and verdict.embedding is not None
    ]
    if rows:
        await ScreeningEmbedding.bulk_create(rows)
    return len(rows)


async def label_record(record_id: int, label: str, *, undecided_only: bool) -> int:
    """A moderator decided: the record's images are `label` ("ai" or "real")."""
    query = ScreeningEmbedding.filter(record_id=record_id)
    if undecided_only:
        query = query.filter(label=None)
    return await query.update(label=label)


async def replace_for_record(
    record: ModerationRecord,
    verdicts: Sequence[Verdict | None],
    hashes: Sequence[str | None],
) -> None:
    """A held post was edited: its record now holds the edit's images, undecided."""
    await ScreeningEmbedding.filter(record_id=record.id).delete()
    await keep(record, verdicts, hashes, [None] * len(verdicts))


async def labelled() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(embeddings, labels 1 = ai, sha256 or "" per row) of every decided image."""
    rows = await ScreeningEmbedding.filter(encoder=ENCODER, label__in=("ai", "real")).values_list(
        "vector", "label", "sha256"
    )
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32), np.zeros(0, dtype=int), []
    vectors = np.stack([np.frombuffer(v, dtype="<f2").astype(np.float32) for v, _, _ in rows])
    labels = np.array([int(label == "ai") for _, label, _ in rows])
    return vectors, labels, [sha or "" for _, _, sha in rows]
