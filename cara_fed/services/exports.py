"""A member's archive of their account, in Mastodon's archive format ("Request your archive",
its BackupService), built by a worker and downloaded from /settings/export:

- `actor.json`: the actor document;
- `outbox.json`: an OrderedCollection of the Creates of their works, oldest first, each Note's
  attachment `url` being the file's path in the archive, as Mastodon writes it;
- `media_attachments/files/NAME`: the published images (cloaked where they were);
- `originals/NAME`, when the member asks: their private, clean originals;
- `following_accounts.csv`, `blocked_accounts.csv`, `muted_accounts.csv`,
  `blocked_domains.csv`: Mastodon's CSV files;
- `cara_fed.json`: what Mastodon's format has no place for, which the Mastodon importer here
  reads back: each work's title and description, its albums and whether it is pinned.

The ZIP is written to a temporary name and renamed once whole, so a download never gets half
an archive; an export whose worker stopped is taken up again (its lease runs out)."""

from __future__ import annotations

import asyncio
import json
import logging
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from activitypub.activity import build_create
from activitypub.collection import build_inline_collection
from cara_fed.convert.to_as import actor_document
from cara_fed.errors import UserError
from cara_fed.services import relations_csv
from cara_fed.services.post_text import html_to_text
from cara_fed.services.publishing import federated_note, named_in
from cara_fed.store.account_models import ExportJob
from cara_fed.store.albums import album_ids
from cara_fed.store.jobs import claim_job, run_jobs
from cara_fed.store.models import SHOWN, AlbumItem, MediaAttachment, Post
from cara_fed.store.notifications import notify_member

if TYPE_CHECKING:
    from cara_fed.instance import Instance
    from cara_fed.store.models import Actor

LEASE = timedelta(minutes=2)
CSV_FILES = {
    "following": "following_accounts.csv",
    "blocks": "blocked_accounts.csv",
    "mutes": "muted_accounts.csv",
    "domain_blocks": "blocked_domains.csv",
}
log = logging.getLogger(__name__)


class ExportError(UserError):
    pass


async def start(member: Actor, *, with_originals: bool) -> ExportJob:
    if await ExportJob.filter(owner=member, state__in=("queued", "running")).exists():
        raise ExportError("an archive of your account is being made already")
    return await ExportJob.create(owner=member, with_originals=with_originals)


async def latest(member: Actor) -> ExportJob | None:
    return await ExportJob.filter(owner=member).order_by("-id").first()


async def claim(instance: Instance) -> ExportJob | None:
    job = await claim_job(ExportJob, instance.clock.now(), LEASE)
    return await ExportJob.get(id=job.pk).prefetch_related("owner") if job else None


async def work_loop(instance: Instance, stop: asyncio.Event) -> None:
    """Beside a worker's loop: build the archives asked for, one at a time."""
    await run_jobs(lambda: claim(instance), lambda job: run(instance, job), stop,
                   what="an export")  # fmt: skip


def _archive_path(instance: Instance, job: ExportJob) -> Path:
    return instance.config.data_dir / "exports" / f"{job.owner.username}-{job.pk}.zip"


async def run(instance: Instance, job: ExportJob) -> ExportJob:
    member = job.owner
    posts = await Post.filter(author=member, local=True, **SHOWN).order_by("published", "id")
    job.total = len(posts)
    await job.save(update_fields=["total"])
    target = _archive_path(instance, job)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            await _write(instance, job, member, posts, archive)
        partial.replace(target)
        job.state, job.file, job.size = "done", str(target), target.stat().st_size
    except Exception as exc:  # the member is told it failed; the worker goes on
        log.exception("the export of %s failed", member.username)
        partial.unlink(missing_ok=True)
        job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
    job.finished_at, job.lease_until = instance.clock.now(), None
    await job.save(update_fields=["state", "file", "size", "error", "finished_at", "lease_until"])
    await notify_member(member, "export_finished", f"export:{job.pk}")
    return job


def _media_path(name: str) -> str:
    return f"media_attachments/files/{name}"


async def _write(
    instance: Instance, job: ExportJob, member: Actor, posts: list[Post], archive: zipfile.ZipFile
) -> None:
    urls = instance.urls
    actor = actor_document(member, urls, await album_ids(member))
    archive.writestr("actor.json", json.dumps(actor, ensure_ascii=False, indent=1))
    items: list[dict[str, Any]] = []
    works: dict[str, dict[str, Any]] = {}
    for n, post in enumerate(posts):
        media = await MediaAttachment.filter(post=post).order_by("position")
        note = federated_note(instance, post, member, media, await named_in(post))
        for attachment, row in zip(note.get("attachment", []), media, strict=False):
            if row.file_name:
                attachment["url"] = "/" + _media_path(row.file_name)
                archive.writestr(
                    _media_path(row.file_name), await instance.media.get(row.file_name)
                )
            if job.with_originals and row.original_file:
                archive.writestr(f"originals/{row.original_file.rsplit('/', 1)[-1]}",
                                 await instance.media.get(row.original_file))  # fmt: skip
        items.append(build_create(f"{post.uri}/activity", note, post.published))
        works[post.uri] = {"title": post.title, "description": html_to_text(post.content),
                           "pinned": post.pinned_at is not None, "albums": []}  # fmt: skip
        if (n + 1) % 10 == 0 or n + 1 == len(posts):
            await ExportJob.filter(id=job.pk).update(
                done=n + 1, lease_until=instance.clock.now() + LEASE
            )
    for item in (
        await AlbumItem.filter(album__owner=member)
        .order_by("album_id", "position")
        .prefetch_related("album", "post")
    ):
        if item.post.uri in works:
            works[item.post.uri]["albums"].append(item.album.title)
    outbox = build_inline_collection(f"{member.uri}/outbox", items)
    archive.writestr("outbox.json", json.dumps(outbox, ensure_ascii=False, indent=1))
    for kind, name in CSV_FILES.items():
        archive.writestr(name, await relations_csv.export(member, kind))
    archive.writestr("cara_fed.json", json.dumps({"works": works}, ensure_ascii=False, indent=1))
