"""Prometheus metrics for operators, read from the database at each scrape: every process
(the web server, each worker) writes its outcomes there, so one scrape of any web process
sees the whole instance, with no state to share between processes. Counts by group, so a
scrape costs a few indexed queries whatever the size of the tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from tortoise.functions import Count

from cara_fed.store.models import (
    CloakJob,
    Delivery,
    InboundActivity,
    MediaAttachment,
    ModerationRecord,
)

QUEUES = {"deliveries": Delivery, "inbound": InboundActivity, "cloak": CloakJob}
RECENT_CLOAK_JOBS = 200


async def _by(model, *columns: str) -> list[tuple]:
    rows = await model.annotate(n=Count("id")).group_by(*columns).values_list(*columns, "n")
    return [tuple(row) for row in rows]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def collect(now: datetime) -> list[Metric]:
    rows = GaugeMetricFamily(
        "cara_queue_rows", "Rows of each durable queue by state", labels=["queue", "state"]
    )
    due = GaugeMetricFamily(
        "cara_queue_due", "Pending rows whose time has come (the backlog)", labels=["queue"]
    )
    for name, model in QUEUES.items():
        for state, count in await _by(model, "state"):
            rows.add_metric([name, state], count)
        due.add_metric(
            [name], await model.filter(state="pending", next_attempt_at__lte=now).count()
        )
    newest = await InboundActivity.all().order_by("-id").limit(1).values_list("id", flat=True)
    received = CounterMetricFamily(
        "cara_inbound_activities",
        "Activities accepted by the inbox (202), ever: its rate is the inbox rate",
    )
    received.add_metric([], float(newest[0] if newest else 0))
    verdicts = GaugeMetricFamily(
        "cara_media_screening", "Stored images by screening verdict", labels=["verdict"]
    )
    for verdict, count in await _by(MediaAttachment, "screening_verdict"):
        verdicts.add_metric([verdict], count)
    records = GaugeMetricFamily(
        "cara_moderation_records",
        "Moderation records (refused and held images, and decisions)",
        labels=["state", "origin"],
    )
    for state, origin, count in await _by(ModerationRecord, "state", "origin"):
        records.add_metric([state, origin], count)
    cloak = GaugeMetricFamily(
        "cara_cloak_job_seconds",
        f"From queued to cloaked, over the last {RECENT_CLOAK_JOBS} finished cloak jobs",
        labels=["quantile"],
    )
    spans = await (
        CloakJob.filter(state="done", finished_at__not_isnull=True)
        .order_by("-id")
        .limit(RECENT_CLOAK_JOBS)
        .values_list("created_at", "finished_at")
    )
    seconds = [(end - start).total_seconds() for start, end in spans]
    if seconds:
        for q in (0.5, 0.9, 0.99):
            cloak.add_metric([str(q)], _quantile(seconds, q))
    return [rows, due, received, verdicts, records, cloak]


class Snapshot(Collector):
    """What a scrape renders: metrics collected (asynchronously) just before."""

    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics
