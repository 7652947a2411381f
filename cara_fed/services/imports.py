"""An artist's back catalogue, imported: the archive is read and checked whole first (a bad
one is refused with its reason and nothing is made), then each post's images go through what
an upload goes through (size and type limits, screening: a generated image is refused with
its reason, recorded for moderators, and listed in the import's report, and the rest goes
on), and become a draft: private, waiting for the alt text the export does not carry.
Publishing a draft makes the work through the same path as an upload (sanitising, the
artist's cloak, Content Credentials), dated as it first appeared and pushed to no one
(services/publishing.federate_post says why).

Each post's draft and the job's progress are written in one transaction, and a draft is
unique per artist by its key: an import stopped anywhere (a restart, a kill) is resumed by
running it again, and never makes the same work twice."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from cara_fed.errors import UserError
from cara_fed.imports import folder, instagram, mastodon_archive
from cara_fed.imports.archive import Archive, BadArchive
from cara_fed.imports.items import ImportItem
from cara_fed.services.albums import add_work
from cara_fed.services.post_input import (
    MAX_TAGS,
    MAX_TEXT_LENGTH,
    TAG,
    PostDraft,
    PostError,
    Upload,
)
from cara_fed.services.posting import Imported, publish_post, screen_upload
from cara_fed.store import moderation
from cara_fed.store.import_models import ImportDraft, ImportJob
from cara_fed.store.jobs import claim_job, run_jobs
from cara_fed.store.models import Actor, Album, Post
from cara_fed.store.notifications import notify_member
from cloak.imaging import BadImage, inspect_image
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import REFUSE, Verdict

if TYPE_CHECKING:
    from cara_fed.instance import Instance

READERS: dict[str, Callable[[Archive], list[ImportItem]]] = {
    "instagram": instagram.read,
    "mastodon": mastodon_archive.read,
    "folder": folder.read,
}
# Posts in one import. An Instagram export of a busy account holds a few thousand.
MAX_POSTS = 10_000
# How long an import's runner holds it between two posts; past it, a worker takes it over.
LEASE = timedelta(minutes=2)
log = logging.getLogger(__name__)


class ImportFailed(UserError):
    pass


def not_imported(job: ImportJob) -> list[dict]:
    """The report's posts that made no draft (the rest of it: files left out of kept ones)."""
    return [entry for entry in job.report if not entry.get("kept")]


async def start(
    instance: Instance, member: Actor, kind: str, source: Path, *, queued: bool = False
) -> ImportJob:
    """Check the archive whole (its every post read) and make its import: `queued` for a
    worker to run (from the web), else leased to the caller, who runs it (the CLI). Nothing
    is made when the archive is refused."""
    if kind not in READERS:
        raise ImportFailed(f"the kind of import must be one of {', '.join(READERS)}")
    source = await asyncio.to_thread(source.resolve)  # the job resumes from any directory
    items = await asyncio.to_thread(_read, kind, source)
    if len(items) > MAX_POSTS:
        raise ImportFailed(
            f"the archive holds {len(items)} posts; an import takes at most {MAX_POSTS}"
        )
    lease = None if queued else instance.clock.now() + LEASE
    return await ImportJob.create(
        owner=member,
        kind=kind,
        source=str(source),
        total=len(items),
        state="queued" if queued else "running",
        lease_until=lease,
    )


async def claim(instance: Instance, owner: Actor | None = None) -> ImportJob | None:
    """An import to run (of `owner`, if given): a queued one, or one whose runner stopped (a
    restart, a kill: its lease ran out)."""
    filters = {"owner": owner} if owner is not None else {}
    return await claim_job(ImportJob, instance.clock.now(), LEASE, **filters)


async def work_loop(instance: Instance, stop: asyncio.Event) -> None:
    """Beside a worker's loop: run the imports queued from the web, one at a time, and
    finish any whose runner stopped."""
    await run_jobs(lambda: claim(instance), lambda job: run(instance, job), stop,
                   what="an import")  # fmt: skip


def _read(kind: str, source: Path) -> list[ImportItem]:
    try:
        with Archive(source) as archive:
            return READERS[kind](archive)
    except BadArchive as exc:
        raise ImportFailed(str(exc)) from None


async def run(
    instance: Instance, job: ImportJob, progress: Callable[[ImportJob], None] | None = None
) -> ImportJob:
    """Go through the posts from where the job stopped; returns it finished."""
    member = await Actor.get(id=job.owner_id)
    try:
        with Archive(Path(job.source)) as archive:
            items = READERS[job.kind](archive)
            for index in range(job.done, len(items)):
                entry = await _import(instance, member, job, archive, items[index])
                if isinstance(entry, ImportDraft) and not await _saved(entry):
                    entry = {"post": items[index].label, "reason": "already imported"}
                if isinstance(entry, ImportDraft):  # files left out of a post that was kept
                    notes = [{"post": items[index].label, "reason": n, "kept": True}
                             for n in items[index].notes]  # fmt: skip
                else:
                    notes = [entry] if entry is not None else []
                async with in_transaction():
                    if notes:
                        job.report = [*job.report, *notes]
                    job.done = index + 1
                    job.lease_until = instance.clock.now() + LEASE
                    await job.save(update_fields=["done", "report", "lease_until"])
                if progress is not None:
                    progress(job)
    except BadArchive as exc:  # the archive changed or went since it was checked
        job.state, job.error = "failed", str(exc)
    else:
        job.state = "done"
    job.finished_at = instance.clock.now()
    job.lease_until = None
    await job.save(update_fields=["state", "error", "finished_at", "lease_until"])
    await notify_member(member, "import_finished", f"import:{job.id}")
    return job


async def _saved(draft: ImportDraft) -> bool:
    """Save a draft; False when another runner of the import made it first."""
    try:
        await draft.save()
    except IntegrityError:
        return False
    return True


async def _import(
    instance: Instance, member: Actor, job: ImportJob, archive: Archive, item: ImportItem
) -> ImportDraft | dict | None:
    """The post's draft (unsaved), or the report's entry saying why there is none."""
    if item.skipped:
        return {"post": item.label, "reason": item.skipped}
    if await ImportDraft.exists(owner=member, key=item.key):
        return {"post": item.label, "reason": "already imported"}
    settings = instance.config.media
    images = []
    for number, name in enumerate(item.files, 1):
        alt = item.alts[number - 1] if number <= len(item.alts) else ""
        try:
            data = await asyncio.to_thread(archive.read, name, settings.max_upload_bytes)
            info = await asyncio.to_thread(inspect_image, data, settings.max_pixels)
            verdict = await screen_upload(
                instance, member, Upload(data, alt), number, item.description, "public"
            )
        except (BadArchive, BadImage, PostError) as exc:
            return {"post": item.label, "reason": f"{name}: {exc}"}
        sha256 = hashlib.sha256(data).hexdigest()
        if verdict.outcome == REFUSE:
            await moderation.record_batch(
                ScreenedBatch((verdict,), (sha256,)),
                state="refused",
                origin="local",
                actor_uri=member.uri,
                now=instance.clock.now(),
            )
            return {"post": item.label, "reason": f"{name} was refused: {verdict.reason}"}
        file = f"private/imports/{sha256}.{info.extension}"
        await instance.media.put_once(file, data)
        images.append(
            {"file": file, "sha256": sha256, "media_type": info.media_type,
             "width": info.width, "height": info.height, "alt": alt,
             "verdict": verdict.outcome, "evidence": verdict.evidence}
        )  # fmt: skip
    tags = [tag for tag in item.tags if TAG.match(tag)][:MAX_TAGS]
    # Instagram allows 2,200 characters, Mastodon servers more: the work keeps what fits.
    description = item.description[:MAX_TEXT_LENGTH]
    return ImportDraft(
        owner=member, job=job, key=item.key, title=item.title, description=description,
        summary=item.summary, tags=tags, made_at=item.made_at, source_url=item.source_url,
        album=item.album, more_albums=list(item.more_albums), pinned=item.pinned, images=images,
    )  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """A draft to publish, with the alt text of each of its images (empty: as imported)."""

    draft_id: int
    alts: tuple[str, ...] = ()


async def publish(instance: Instance, member: Actor, choices: list[Choice]) -> list[Post]:
    """Publish drafts as works; a draft that cannot be (alt text missing where the artist's
    setting asks for it) raises before anything of it is made, and those before it stay
    published."""
    posts = []
    for choice in choices:
        draft = await ImportDraft.get_or_none(id=choice.draft_id, owner=member, state="draft")
        if draft is None:
            raise ImportFailed(f"{member.username} has no draft {choice.draft_id} to publish")
        uploads = []
        for n, image in enumerate(draft.images):
            alt = choice.alts[n] if n < len(choice.alts) and choice.alts[n] else image["alt"]
            data = await instance.media.get(image["file"])
            verdict = Verdict(image["verdict"], image["evidence"] or [])
            uploads.append(Upload(data, alt.strip(), verdict=verdict))
        album = await _album(member, draft.album) if draft.album else None
        post_draft = PostDraft(
            uploads=tuple(uploads),
            text=draft.description,
            title=draft.title,
            summary=draft.summary,
            tags=tuple(draft.tags),
            album_id=album.pk if album else None,
        )
        try:
            post = await publish_post(
                instance, member, post_draft, Imported(draft.made_at, draft.source_url)
            )
        except PostError as exc:
            raise ImportFailed(f"draft {draft.id} ({draft.title or 'untitled'}): {exc}") from None
        for title in draft.more_albums:
            await add_work(await _album(member, title), post)
        if draft.pinned:
            await Post.filter(id=post.pk).update(pinned_at=instance.clock.now())
        draft.state, draft.post_id = "published", post.pk
        await draft.save(update_fields=["state", "post_id"])
        await _forget_files(instance, draft)
        posts.append(post)
    return posts


async def _album(member: Actor, title: str) -> Album:
    album = await Album.filter(owner=member, title=title).first()
    return album or await Album.create(owner=member, title=title)


async def _forget_files(instance: Instance, draft: ImportDraft) -> None:
    """The import's copy of each image, once no other draft waits on it: the work has its
    own original now."""
    waiting = await ImportDraft.filter(owner_id=draft.owner_id, state="draft").values_list(
        "images", flat=True
    )
    still_used = {image["file"] for images in waiting for image in images}
    for image in draft.images:
        if image["file"] not in still_used:
            await instance.media.delete(image["file"])
