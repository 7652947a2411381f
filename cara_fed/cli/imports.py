"""`cara-fed import instagram|mastodon|folder NAME PATH`: bring an artist's back catalogue in
as drafts (cara_fed/services/imports.py), printing progress and the report; `import resume
NAME` finishes an import that was stopped; `import drafts NAME` lists the drafts waiting for
alt text; `import publish NAME ID... [--alt ID=TEXT]... [--all]` publishes them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cara_fed.cli.session import as_member
from cara_fed.errors import UserError
from cara_fed.services import imports
from cara_fed.store.import_models import ImportDraft, ImportJob
from cara_fed.store.models import Actor

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def _progress(job: ImportJob) -> None:
    print(f"\r{job.done}/{job.total} posts", end="", file=sys.stderr, flush=True)


async def _run_and_report(instance: Instance, job: ImportJob) -> int:
    job = await imports.run(instance, job, _progress)
    print(file=sys.stderr)
    for entry in job.report:
        what = "left out of an imported post" if entry.get("kept") else "not imported"
        print(f"{what}: {entry['post']}: {entry['reason']}")
    drafts = await ImportDraft.filter(job=job).count()
    print(f"import {job.id} {job.state}: {drafts} drafts from {job.total} posts, "
          f"{len(imports.not_imported(job))} not imported")  # fmt: skip
    if job.state == "failed":
        print(f"the import failed: {job.error}", file=sys.stderr)
        return 1
    return 0


@as_member
async def cmd_import(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    job = await imports.start(instance, member, args.kind, Path(args.path))
    print(f"import {job.id}: {job.total} posts found in {args.path}")
    return await _run_and_report(instance, job)


@as_member
async def cmd_resume(instance: Instance, member: Actor, args: argparse.Namespace) -> int:
    code, resumed = 0, 0
    while (job := await imports.claim(instance, member)) is not None:
        resumed += 1
        print(f"import {job.id}: resuming at post {job.done + 1} of {job.total}")
        code = await _run_and_report(instance, job) or code
    for job in await ImportJob.filter(owner=member, state="running"):
        print(f"import {job.id} is being run by another process (held until {job.lease_until})")
    if not resumed:
        print(f"{args.name} has no stopped import to resume")
    return code


@as_member
async def cmd_drafts(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    drafts = await ImportDraft.filter(owner=member, state="draft").order_by("made_at", "id")
    for draft in drafts:
        missing = sum(1 for image in draft.images if not image["alt"])
        alt = f"{missing} without alt text" if missing else "alt text given"
        print(f"{draft.id}\t{draft.made_at:%Y-%m-%d}\t{len(draft.images)} images, {alt}\t"
              f"{draft.title or '(untitled)'}")  # fmt: skip
    if not drafts:
        print(f"{args.name} has no drafts")


@as_member
async def cmd_publish(instance: Instance, member: Actor, args: argparse.Namespace) -> None:
    alts: dict[int, list[str]] = {}
    for given in args.alt:
        key, sep, text = given.partition("=")
        if not sep or not key.strip().isdigit():
            raise UserError(f"--alt takes DRAFT=TEXT (one per image, in order), not {given!r}")
        alts.setdefault(int(key), []).append(text)
    ids = [int(i) for i in args.ids]
    if args.all:
        waiting = ImportDraft.filter(owner=member, state="draft").order_by("made_at", "id")
        ids += [d for d in await waiting.values_list("id", flat=True) if d not in ids]
    if not ids:
        raise UserError("name the drafts to publish, or --all")
    choices = [imports.Choice(i, tuple(alts.get(i, ()))) for i in ids]
    posts = await imports.publish(instance, member, choices)
    for post in posts:
        print(f"published {post.url} (dated {post.published:%Y-%m-%d})")


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import", parents=[common], help="bring a back catalogue in as drafts, and publish them"
    )
    actions = parser.add_subparsers(dest="import_action", required=True)
    for kind, what in (
        ("instagram", "an Instagram export (ZIP or its folder)"),
        ("mastodon", "a Mastodon archive (ZIP or its folder)"),
        ("folder", "a folder or ZIP of images, with an optional CSV"),
    ):
        p = actions.add_parser(kind, parents=[common], help=what)
        p.add_argument("name")
        p.add_argument("path")
        p.set_defaults(func=cmd_import, kind=kind)
    resume = actions.add_parser("resume", parents=[common], help="finish a stopped import")
    resume.add_argument("name")
    resume.set_defaults(func=cmd_resume)
    drafts = actions.add_parser("drafts", parents=[common], help="list the imported drafts")
    drafts.add_argument("name")
    drafts.set_defaults(func=cmd_drafts)
    publish = actions.add_parser("publish", parents=[common], help="publish drafts as works")
    publish.add_argument("name")
    publish.add_argument("ids", nargs="*")
    publish.add_argument("--alt", action="append", default=[], metavar="DRAFT=TEXT")
    publish.add_argument("--all", action="store_true", help="every draft")
    publish.set_defaults(func=cmd_publish)
