"""Forgetting inbound activities once they are long handled.

Every verified activity is stored before the 202 (invariant 1) and kept after its handler ran,
so a redelivery is recognised by its id. Kept for ever, the table grew by ~1.5 KB an activity
with its indexes: the 10-minute soak left 158,404 rows, and a busy instance would add
gigabytes a month.
What the handlers made of an activity (the post, the follow) lives in its own tables; the raw
row only serves to drop redeliveries, which come within a peer's retry schedule (cara-fed's own
ends after about two days), and a redelivery after that is harmless: every handler checks for
what it would create. Rows still pending are never touched.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cara_fed.store.models import InboundActivity

BATCH = 1000  # rows per DELETE: the write lock is held briefly, the inbox keeps answering


async def prune_handled(now: datetime, keep_days: float) -> int:
    """Delete handled (done or failed) activities received more than `keep_days` ago;
    returns how many."""
    cutoff = now - timedelta(days=keep_days)
    deleted = 0
    while True:
        ids = (
            await InboundActivity.filter(state__in=("done", "failed"), received_at__lt=cutoff)
            .order_by("id")
            .limit(BATCH)
            .values_list("id", flat=True)
        )
        if not ids:
            return deleted
        deleted += await InboundActivity.filter(id__in=ids).delete()
        if len(ids) < BATCH:
            return deleted
