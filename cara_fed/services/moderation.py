"""What admins do with moderation records, and with the list of generated-art sources."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.values import host_of
from cara_fed.errors import UserError
from cara_fed.services.posting import attachment_files
from cara_fed.services.publishing import federate_post
from cara_fed.store import embeddings, hash_lists
from cara_fed.store import moderation as store
from cara_fed.store.media import remove_unused_files, shown_media
from cara_fed.store.models import Actor, ListedSource, MediaAttachment, ModerationRecord, Post
from cara_fed.store.notifications import notify_member
from inbox.screening.hash_match import rejection_listings

if TYPE_CHECKING:
    from cara_fed.instance import Instance

STATES = ("refused", "review", "approved", "rejected")


class ModerationError(UserError):
    pass


async def get_record(record_id: int) -> ModerationRecord:
    row = await ModerationRecord.get_or_none(id=record_id)
    if row is None:
        raise ModerationError(f"there is no moderation record {record_id}")
    return row


async def list_records(state: str | None = None, limit: int = 100) -> list[ModerationRecord]:
    if state is not None and state not in STATES:
        raise ModerationError(f"state must be one of {', '.join(STATES)}")
    query = ModerationRecord.all() if state is None else ModerationRecord.filter(state=state)
    return await query.order_by("-id").limit(limit)


async def _held_post(row: ModerationRecord) -> Post:
    if row.state != "review":
        raise ModerationError(
            f"record {row.id} is {row.state}; only held posts (review) can be decided"
            + (
                ": refused posts are not kept, the sender has to send them again"
                if row.state == "refused"
                else ""
            )
        )
    post = (
        await Post.get_or_none(id=row.post_id).prefetch_related("author") if row.post_id else None
    )
    if post is None:
        raise ModerationError(f"the post held by record {row.id} no longer exists")
    return post


@dataclass(frozen=True)
class Decision:
    record: ModerationRecord
    was: str
    hash_entries: int  # listed by a rejection, withdrawn by an upheld appeal


async def approve(instance: Instance, record_id: int) -> Decision:
    """Publish a held post: visible here, and for a local post, sent to followers. On a
    refusal (an appeal upheld), withdraw its images from the hash list: the post itself was
    not kept, so its author sends it again."""
    row = await get_record(record_id)
    if row.state == "refused":
        async with in_transaction():
            await store.decide(row, "approved", instance.clock.now())
            withdrawn = await hash_lists.withdraw_for_record(row.id, instance.clock.now())
            await embeddings.label_record(row.id, "real", undecided_only=False)
            await _tell_artist(row, "work_approved", None)  # an upload's appeal upheld
        return Decision(row, "refused", withdrawn)
    post = await _held_post(row)
    async with in_transaction():
        await MediaAttachment.filter(post=post, screening_verdict="review").update(
            screening_verdict="accept"
        )
        await Post.filter(id=post.pk).update(held=False)
        # Re-read after the write: a post whose images are still being cloaked is sent by
        # the cloak job that finishes last.
        post = await Post.get(id=post.pk).prefetch_related("author")
        if post.local and not post.cloak_pending:
            await federate_post(instance, post, post.author, await shown_media(post))
        await store.decide(row, "approved", instance.clock.now())
        await embeddings.label_record(row.id, "real", undecided_only=True)
        await _tell_artist(row, "work_approved", post.uri)
    instance.wake_workers()
    return Decision(row, "review", 0)


async def reject(instance: Instance, record_id: int) -> Decision:
    """Remove a held post and its images for good; the held images join the hash list."""
    row = await get_record(record_id)
    post = await _held_post(row)
    files = await attachment_files(post)
    async with in_transaction():
        await store.decide(row, "rejected", instance.clock.now())
        listed = await hash_lists.list_images(
            row, rejection_listings(row.evidence), instance.clock.now()
        )
        await embeddings.label_record(row.id, "ai", undecided_only=True)
        await _tell_artist(row, "work_rejected", post.uri)
        await post.delete()
    await remove_unused_files(files, instance.media)
    return Decision(row, "review", listed)


async def _tell_artist(row: ModerationRecord, kind: str, post_uri: str | None) -> None:
    """A member whose held work, or refused upload, was decided hears of it."""
    if row.origin != "local":
        return
    artist = await Actor.get_or_none(uri=row.actor_uri, local=True)
    if artist is not None:
        await notify_member(artist, kind, post_uri)


async def appeal(record_id: int, note: str) -> ModerationRecord:
    """The artist's word on a held or refused upload of theirs, shown to admins."""
    row = await get_record(record_id)
    if row.origin != "local":
        raise ModerationError("only uploads by members of this instance can be appealed here")
    if not note.strip():
        raise ModerationError("an appeal needs a note saying why the image is not generated")
    row.appeal_note = note.strip()[:2000]
    await row.save()
    return row


@dataclass(frozen=True)
class SourceStats:
    source: str
    refused: int
    review: int
    approved: int
    rejected: int


async def stats() -> tuple[list[SourceStats], list[SourceStats]]:
    """Decisions per domain and per account, most refused first."""
    rows = await ModerationRecord.all().values("domain", "actor_uri", "state")

    def table(key: str) -> list[SourceStats]:
        counts: dict[str, Counter] = {}
        for r in rows:
            counts.setdefault(r[key], Counter())[r["state"]] += 1
        return sorted(
            (
                SourceStats(k, c["refused"], c["review"], c["approved"], c["rejected"])
                for k, c in counts.items()
            ),
            key=lambda s: (-s.refused, -s.review, s.source),
        )

    return table("domain"), table("actor_uri")


async def add_source(kind: str, value: str, note: str = "") -> ListedSource:
    if kind not in ("account", "domain"):
        raise ModerationError("a listed source is an account (actor URL) or a domain")
    value = value.strip()
    if kind == "domain":
        domain = _domain(value)
        if domain is None:
            raise ModerationError(f"{value!r} is not a domain")
        value = domain
    elif not value.startswith(("https://", "http://")) or not host_of(value):
        raise ModerationError("an account is given by its actor URL, e.g. https://x.example/u/a")
    row, _ = await ListedSource.get_or_create(kind=kind, value=value, defaults={"note": note})
    return row


async def remove_source(kind: str, value: str) -> int:
    return await ListedSource.filter(
        kind=kind, value=value.strip().lower() if kind == "domain" else value.strip()
    ).delete()


async def import_domains_csv(text: str) -> int:
    """Domains from a CSV: Mastodon's domain-block export (`#domain,#severity,...`) or any CSV
    with a `domain` column or one domain per line. Returns how many were newly listed."""
    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader if r and any(cell.strip() for cell in r)]
    if not rows:
        return 0
    header = [cell.strip().lstrip("#").lower() for cell in rows[0]]
    column, body = (header.index("domain"), rows[1:]) if "domain" in header else (0, rows)
    comment_column = header.index("public_comment") if "public_comment" in header else None
    entries = []
    for line_number, row in enumerate(body, 2 if "domain" in header else 1):
        if column >= len(row) or not row[column].strip() or row[column].startswith("#"):
            continue
        domain = _domain(row[column])
        if domain is None:
            raise ModerationError(f"line {line_number}: {row[column]!r} is not a domain")
        comment = (
            row[comment_column] if comment_column is not None and comment_column < len(row) else ""
        )
        entries.append((domain, f"imported: {comment}".strip(": ")))
    added = 0
    async with in_transaction():  # all lines or none
        for domain, note in entries:
            _, created = await ListedSource.get_or_create(
                kind="domain", value=domain, defaults={"note": note}
            )
            added += created
    return added


def _domain(value: str) -> str | None:
    value = value.strip().lower().removeprefix("https://").removeprefix("http://").strip("/")
    return value if value and "/" not in value and " " not in value else None
