"""Queries for moderation records and the lists of generated-art sources."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from activitypub.values import host_of
from cara_fed.store import embeddings, hash_lists
from cara_fed.store.models import ListedSource, ModerationRecord, Post
from inbox.screening.batch import ScreenedBatch
from inbox.screening.hash_match import first_hand_reason, refusal_listings


async def listed_as(actor_uri: str) -> str | None:
    """'account' or 'domain' when the actor or its domain is listed, else None. One query:
    it runs for every remote post the worker stores."""
    kinds = await ListedSource.filter(
        Q(kind="account", value=actor_uri) | Q(kind="domain", value=host_of(actor_uri))
    ).values_list("kind", flat=True)
    return "account" if "account" in kinds else "domain" if kinds else None


async def record(
    *,
    state: str,
    origin: str,
    actor_uri: str,
    evidence: list,
    hashes: list[str],
    reason: str,
    activity_uri: str | None = None,
    post_uri: str | None = None,
    post=None,
) -> ModerationRecord:
    """One record per activity: a redelivered or retried activity does not add another."""
    if activity_uri:
        existing = await ModerationRecord.get_or_none(activity_uri=activity_uri, origin=origin)
        if existing:
            return existing
    return await ModerationRecord.create(
        state=state,
        origin=origin,
        actor_uri=actor_uri,
        domain=host_of(actor_uri),
        activity_uri=activity_uri,
        post_uri=post_uri,
        post=post,
        media_sha256=hashes,
        evidence=evidence,
        reason=reason,
    )


async def record_batch(
    batch: ScreenedBatch,
    *,
    state: str,
    origin: str,
    actor_uri: str,
    now: datetime,
    activity_uri: str | None = None,
    post_uri: str | None = None,
    post=None,
) -> ModerationRecord:
    """The record of a refused or held post, with what the decision keeps beside it: a
    refusal's images refused first-hand (provenance, a declaration) join the hash list and
    their embeddings are kept as generated; a held post's embeddings wait for the moderator."""
    evidence = batch.evidence
    row = await record(
        state=state,
        origin=origin,
        actor_uri=actor_uri,
        evidence=evidence,
        hashes=batch.known_hashes,
        reason=batch.reason,
        activity_uri=activity_uri,
        post_uri=post_uri,
        post=post,
    )
    refused = state == "refused"
    if refused:
        await hash_lists.list_images(row, refusal_listings(evidence), now)
    labels = ["ai" if refused and first_hand_reason(image) else None for image in evidence]
    await embeddings.keep(row, batch.verdicts, batch.hashes, labels)
    return row


async def refresh_review(post: Post, batch: ScreenedBatch, reason: str) -> ModerationRecord | None:
    """Put an edit of a held post on its open review record (the moderator decides on what
    the post is now); None when it has none."""
    row = await ModerationRecord.get_or_none(post=post, state="review")
    if row is None:
        return None
    await ModerationRecord.filter(id=row.id).update(
        evidence=batch.evidence, media_sha256=batch.known_hashes, reason=reason
    )
    return row


async def decide(record_row: ModerationRecord, state: str, now: datetime) -> None:
    record_row.state = state
    record_row.decided_at = now
    await record_row.save()
