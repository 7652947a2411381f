"""Cloaking published images in the background, one job at a time.

Each job runs `cara-fed cloak` in a child process at low priority: the attack keeps both cores
busy for tens of seconds and needs about a gigabyte, so it must not share the server's event
loop or memory, and a child that dies (out of memory, killed) fails one job, not the server.
The job's lease is renewed while the child runs, so if the whole server is killed the job is
taken up again soon after the restart; the post publishes when its last image is done."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from tortoise.transactions import in_transaction

from cara_fed.instance import Instance
from cara_fed.services.publishing import publish_if_ready
from cara_fed.services.rights import rights_statement
from cara_fed.store.media import (
    remove_unused_files,
    rendition_fields,
    write_published_image,
)
from cara_fed.store.models import CloakJob, MediaAttachment
from cara_fed.store.queue import claim_due, finish, release, renew
from cara_fed.worker import wait_for_work
from cloak.rendition import thumbnail_of
from cloak.sanitize import PublishedImage, encode_image

log = logging.getLogger(__name__)
# How much of a failed child's stderr the job keeps.
ERROR_TAIL = 2000
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class CloakFailed(Exception):
    """The child process failed; the message says how, for the job's record."""


class LeaseLost(Exception):
    """Another worker took the job over while this one ran (our lease had run out)."""


class Stopping(Exception):
    """The worker is shutting down mid-job; the job is given back untouched."""


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
        try:
            report, published = await self._cloak(job, attachment)
        except Stopping:
            await release(CloakJob, job)
            return 1
        except LeaseLost:
            log.warning("cloak job %d was taken over by another worker", job.pk)
            return 1
        except CloakFailed as exc:
            await self._failed(job, attachment, str(exc))
            return 1
        await self._done(job, attachment, report, published)
        return 1

    async def _cloak(
        self, job: CloakJob, attachment: MediaAttachment
    ) -> tuple[dict[str, Any], PublishedImage]:
        config = self.instance.config
        original = config.media_dir / (attachment.original_file or "")
        if not attachment.original_file or not original.is_file():
            raise CloakFailed(f"the original {attachment.original_file} is missing")
        work = config.data_dir / "cloak-work"
        work.mkdir(parents=True, exist_ok=True)
        output = work / f"job-{job.pk}-{job.attempts}.png"
        command = [
            sys.executable,
            "-m",
            "cara_fed",
            "--config",
            str(config.path),
            "cloak",
            str(original),
            "--out",
            str(output),
            "--json",
            "--steps",
            str(self.settings.steps),
            "--max-pixels",
            str(config.media.max_published_pixels),
            "--threads",
            str(self.settings.threads),
            "--strength",
            job.strength or self.settings.strength,  # the work's choice, else the instance's
        ]
        try:
            stdout = await self._run_child(job, command)
            try:
                report = json.loads(stdout)
            except ValueError:
                raise CloakFailed(f"the cloak printed no report: {stdout[-200:]!r}") from None
            try:
                published = await asyncio.to_thread(
                    _publishable,
                    output,
                    original,
                    config.media.jpeg_quality,
                    rights_statement(self.instance, attachment.post.author),
                )
            except (OSError, ValueError) as exc:
                raise CloakFailed(f"the cloaked image cannot be read: {exc}") from None
        finally:
            output.unlink(missing_ok=True)
        report.pop("output", None)
        return report, published

    async def _run_child(self, job: CloakJob, command: list[str]) -> str:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
            preexec_fn=_child_setup,
            env=_child_env(self.settings.threads),
        )
        talk = asyncio.ensure_future(process.communicate())
        stopping = asyncio.ensure_future(self.stop.wait())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout_seconds
        try:
            while True:
                done, _ = await asyncio.wait(
                    {talk, stopping},
                    timeout=self.settings.lease_seconds / 3,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if talk in done:
                    break
                if stopping in done:
                    raise Stopping()
                if loop.time() > deadline:
                    raise CloakFailed(
                        f"the cloak took longer than {self.settings.timeout_seconds:.0f} s"
                    )
                until = self.instance.clock.now() + timedelta(seconds=self.settings.lease_seconds)
                if not await renew(CloakJob, job, until):
                    raise LeaseLost()
        except BaseException:
            if process.returncode is None:
                process.kill()
            with contextlib.suppress(Exception):
                await talk
            raise
        finally:
            stopping.cancel()
        stdout, stderr = talk.result()
        if process.returncode != 0:
            reason = stderr.decode("utf-8", "replace").strip()[-ERROR_TAIL:]
            raise CloakFailed(f"the cloak exited with {process.returncode}: {reason}")
        return stdout.decode("utf-8", "replace")

    async def _done(
        self,
        job: CloakJob,
        attachment: MediaAttachment,
        report: dict[str, Any],
        image: PublishedImage,
    ) -> None:
        media_dir = self.instance.config.media_dir
        name = await asyncio.to_thread(write_published_image, media_dir, image)
        thumb = await asyncio.to_thread(
            thumbnail_of,
            image,
            quality=self.instance.config.media.jpeg_quality,
            xmp=rights_statement(self.instance, attachment.post.author),
        )
        thumb_name = await asyncio.to_thread(write_published_image, media_dir, thumb)
        # A new cloak of a published image replaces its rendition, which stays until now.
        replaced = [n for n in (attachment.file_name, attachment.thumb_file) if n]
        async with in_transaction():
            if not await finish(
                CloakJob, job, state="done", finished_at=self.instance.clock.now(), error=None
            ):
                kept = False
            else:
                kept = bool(
                    await MediaAttachment.filter(id=attachment.pk).update(
                        **rendition_fields(image, name, thumb, thumb_name),
                        cloak_state="done",
                        cloak_report=report,
                    )
                )
                if kept:
                    await publish_if_ready(self.instance, attachment.post)
        # Unless the job or its post went away while we worked (or a newer choice of strength
        # took the job over), the old rendition goes; else the new one.
        await remove_unused_files(replaced if kept else [name, thumb_name], media_dir)
        self.instance.wake_workers()

    async def _failed(self, job: CloakJob, attachment: MediaAttachment, error: str) -> None:
        now = self.instance.clock.now()
        log.warning("cloak job %d failed (attempt %d): %s", job.pk, job.attempts, error)
        if self.settings.retry.exhausted(job.attempts):
            async with in_transaction():
                if await finish(CloakJob, job, state="dead", error=error, finished_at=now):
                    await MediaAttachment.filter(id=attachment.pk).update(cloak_state="failed")
            return
        await finish(
            CloakJob,
            job,
            error=error,
            next_attempt_at=now + self.settings.retry.delay(job.attempts),
        )


def _child_env(threads: int) -> dict[str, str]:
    """Threads are fixed before numpy loads its BLAS: the only way to bound them."""
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    return env


def _child_setup() -> None:
    """In the child, before exec: let the server's requests and deliveries come first, and
    die with the server (Linux), so a killed server leaves no orphan cloaking on its own."""
    os.nice(10)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _publishable(cloaked: Path, original: Path, quality: int, xmp: str | None) -> PublishedImage:
    """The child's lossless output, encoded as the original was (format, ICC profile), with
    the rights statement written after the cloak so that nothing re-encodes it away."""
    with Image.open(original) as source:  # we wrote it: JPEG, PNG or WebP, clean
        save_format, icc = source.format or "PNG", source.info.get("icc_profile")
    with Image.open(cloaked) as image:
        image.load()
        pixels = image.copy()
    pixels.info = {"icc_profile": icc} if icc else {}
    return encode_image(pixels, save_format, quality=quality, xmp=xmp)


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
            await wait_for_work(instance.cloak_wake, stop, interval)
