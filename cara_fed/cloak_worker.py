"""Cloaking published images in the background, one job at a time: the queue's side.

Each job runs `cara-fed cloak-job ID` in a child process at low priority (cloak_child.py): the
attack keeps both cores busy for tens of seconds and needs about a gigabyte, so it must not
share the server's event loop or memory, and a child that dies (out of memory, killed) fails
one job, not the server. The job's lease is renewed while the child runs, so if the whole
server is killed the job is taken up again soon after the restart; the post publishes when
its last image is done (cloak_publish.py)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from cara_fed.cloak_child import (
    CloakFailed,
    LeaseLost,
    Stopping,
    child_command,
    run_child,
    work_file,
)
from cara_fed.cloak_publish import publish_cloaked, publishable
from cara_fed.services.rights import rights_statement
from cara_fed.store.media_store import MediaMissing, MediaStoreError
from cara_fed.store.models import CloakJob, MediaAttachment
from cara_fed.store.notifications import notify_member
from cara_fed.store.queue import claim_due, finish, release, renew
from cara_fed.worker import wait_for_work
from cloak.sanitize import PublishedImage

if TYPE_CHECKING:
    from cara_fed.instance import Instance

log = logging.getLogger(__name__)


class CloakWorker:
    def __init__(self, instance: Instance, stop: asyncio.Event) -> None:
        self.instance = instance
        self.settings = instance.config.cloak
        self.stop = stop

    async def run_once(self) -> int:
        """Run one due job, if there is one; returns how many were run."""
        clock = self.instance.clock
        jobs = await claim_due(
            CloakJob, now=clock.now(), lease_seconds=self.settings.lease_seconds, limit=1
        )
        if not jobs:
            return 0
        job = jobs[0]
        attachment = await MediaAttachment.get_or_none(id=job.attachment_id).prefetch_related(
            "post__author"
        )
        if attachment is None or attachment.post.deleted_at is not None:
            await finish(CloakJob, job, state="done", finished_at=clock.now(), error="deleted")
            return 1
        xmp = rights_statement(self.instance, attachment.post.author)
        try:
            report, published, original_size = await self._cloak(job, attachment, xmp)
        except Stopping:
            await release(CloakJob, job)
            return 1
        except LeaseLost:
            log.warning("cloak job %d was taken over by another worker", job.pk)
            return 1
        except CloakFailed as exc:
            await self._failed(job, attachment, str(exc))
            return 1
        await publish_cloaked(self.instance, job, attachment, report, published, xmp, original_size)
        return 1

    async def _cloak(
        self, job: CloakJob, attachment: MediaAttachment, xmp: str | None
    ) -> tuple[dict[str, Any], PublishedImage, tuple[int, int]]:
        config = self.instance.config
        try:
            original = await self.instance.media.get(attachment.original_file or "")
        except MediaMissing:
            raise CloakFailed(f"the original {attachment.original_file} is missing") from None
        except MediaStoreError as exc:  # a store that does not answer: retried as a failure
            raise CloakFailed(f"the original cannot be read: {exc}") from None
        output = work_file(config.data_dir, job.pk, job.attempts)

        async def keep_lease() -> bool:
            until = self.instance.clock.now() + timedelta(seconds=self.settings.lease_seconds)
            return await renew(CloakJob, job, until)

        try:
            stdout = await run_child(
                child_command(config.path, job.pk),
                threads=self.settings.threads,
                timeout_seconds=self.settings.timeout_seconds,
                check_every=self.settings.lease_seconds / 3,
                keep_lease=keep_lease,
                stop=self.stop,
            )
            try:
                report = json.loads(stdout)
            except ValueError:
                raise CloakFailed(f"the cloak printed no report: {stdout[-200:]!r}") from None
            try:
                published, original_size = await asyncio.to_thread(
                    publishable, output, original, config.media.jpeg_quality, xmp
                )
            except (OSError, ValueError) as exc:
                raise CloakFailed(f"the cloaked image cannot be read: {exc}") from None
        finally:
            output.unlink(missing_ok=True)
        report.pop("output", None)
        return report, published, original_size

    async def _failed(self, job: CloakJob, attachment: MediaAttachment, error: str) -> None:
        now = self.instance.clock.now()
        log.warning("cloak job %d failed (attempt %d): %s", job.pk, job.attempts, error)
        if self.settings.retry.exhausted(job.attempts):
            async with in_transaction():
                if await finish(CloakJob, job, state="dead", error=error, finished_at=now):
                    await MediaAttachment.filter(id=attachment.pk).update(cloak_state="failed")
                    post = attachment.post
                    await notify_member(post.author, "cloak_failed", post.uri)
            return
        await finish(
            CloakJob,
            job,
            error=error,
            next_attempt_at=now + self.settings.retry.delay(job.attempts),
        )


async def run_cloak_worker(instance: Instance, stop: asyncio.Event) -> None:
    """Wait for jobs (woken by posts made in this process, or by polling for the CLI's)."""
    worker = CloakWorker(instance, stop)
    interval = instance.config.cloak.poll_interval_seconds
    while not stop.is_set():
        instance.cloak_wake.clear()
        try:
            busy = await worker.run_once()
        except Exception:  # the loop must survive anything one job throws
            log.exception("cloak job failed")
            busy = 0
        if not busy:
            await wait_for_work((instance.cloak_wake,), stop, interval)
