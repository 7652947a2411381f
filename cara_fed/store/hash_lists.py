"""Queries for the hash lists: this instance's own (what it refused, by perceptual hash) and
the copies of the lists it subscribes to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise import connections
from tortoise.transactions import in_transaction

from activitypub.hash_list import Entry
from cara_fed.store.models import HashEntry, HashSubscription, ModerationRecord, SubscribedHash
from inbox.screening.hash_match import HashIndex, ListedHash, Listing

if TYPE_CHECKING:
    from activitypub.urls import Urls
    from inbox.screening.screener import Screener


async def list_images(record: ModerationRecord, listings: Iterable[Listing], now: datetime) -> int:
    """Add the record's images to this instance's list; an image listed before and withdrawn
    is listed again under this record. Returns how many entries are new or renewed."""
    added = 0
    async with in_transaction():
        for listing in listings:
            row = await HashEntry.get_or_none(algorithm="pdq", hash=listing.hash)
            if row is None:
                await HashEntry.create(
                    algorithm="pdq",
                    hash=listing.hash,
                    quality=listing.quality,
                    reason=listing.reason,
                    record=record,
                    created_at=now,
                )
                added += 1
            elif row.withdrawn_at is not None:
                await HashEntry.filter(id=row.id).update(
                    withdrawn_at=None, record_id=record.id, reason=listing.reason, created_at=now
                )
                added += 1
    return added


async def withdraw_for_record(record_id: int, now: datetime) -> int:
    return await HashEntry.filter(record_id=record_id, withdrawn_at=None).update(withdrawn_at=now)


async def withdraw(entry_id: int, now: datetime) -> bool:
    return bool(await HashEntry.filter(id=entry_id, withdrawn_at=None).update(withdrawn_at=now))


async def published_count() -> int:
    return await HashEntry.filter(withdrawn_at=None).count()


async def published_page(before_id: int | None, limit: int) -> list[HashEntry]:
    """Newest first; `before_id` pages by id, so entries added while a subscriber walks the
    list do not shift the pages it has yet to read."""
    query = HashEntry.filter(withdrawn_at=None)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return await query.order_by("-id").limit(limit)


async def published_entry(entry_id: int) -> HashEntry | None:
    return await HashEntry.get_or_none(id=entry_id)


# -- subscriptions ------------------------------------------------------------------------


async def subscribe(url: str, action: str, next_sync_at: datetime) -> tuple[HashSubscription, bool]:
    """Subscribes, or changes the action of an existing subscription."""
    row = await HashSubscription.get_or_none(url=url)
    if row is not None:
        await HashSubscription.filter(id=row.id).update(action=action, next_sync_at=next_sync_at)
        return await HashSubscription.get(id=row.id), False
    return await HashSubscription.create(url=url, action=action, next_sync_at=next_sync_at), True


async def unsubscribe(url: str) -> bool:
    async with in_transaction():
        row = await HashSubscription.get_or_none(url=url)
        if row is None:
            return False
        await SubscribedHash.filter(subscription_id=row.id).delete()
        await row.delete()
    return True


async def subscriptions() -> list[HashSubscription]:
    return await HashSubscription.all().order_by("id")


async def subscription(url: str) -> HashSubscription | None:
    return await HashSubscription.get_or_none(url=url)


async def claim_due(now: datetime, every: timedelta) -> list[HashSubscription]:
    """The subscriptions due to sync, each moved to its next time in one conditional UPDATE,
    so that of several worker processes exactly one syncs it."""
    due = await HashSubscription.filter(next_sync_at__lte=now).values_list("id", "next_sync_at")
    claimed = []
    for row_id, was in due:
        if await HashSubscription.filter(id=row_id, next_sync_at=was).update(
            next_sync_at=now + every
        ):
            claimed.append(row_id)
    return await HashSubscription.filter(id__in=claimed).order_by("id") if claimed else []


async def replace_entries(
    sub: HashSubscription, entries: list[Entry], skipped: int, now: datetime
) -> None:
    """The list as just fetched replaces the last copy whole: an entry its publisher
    withdrew is gone after this."""
    async with in_transaction():
        await SubscribedHash.filter(subscription_id=sub.id).delete()
        await SubscribedHash.bulk_create(
            [
                SubscribedHash(
                    subscription_id=sub.id,
                    entry_id=e.id,
                    algorithm=e.algorithm,
                    hash=e.hash,
                    reason=e.reason,
                    published=e.published,
                )
                for e in entries
            ],
            batch_size=1000,
        )
        await HashSubscription.filter(id=sub.id).update(
            synced_at=now, last_error=None, entries=len(entries), skipped=skipped
        )


async def sync_failed(sub: HashSubscription, reason: str) -> None:
    """The last copy stays in force: a list that cannot be read today still protects."""
    await HashSubscription.filter(id=sub.id).update(last_error=reason[:2000])


# -- the index screening matches against --------------------------------------------------


async def _fingerprint() -> tuple:
    """Changes whenever what screening must match changes: one small query per screened post,
    so every process (web, each worker) sees a new entry or sync without being told."""
    connection = connections.get("default")
    _, rows = await connection.execute_query(
        "SELECT (SELECT count(*) FROM hash_entries WHERE withdrawn_at IS NULL),"
        " (SELECT max(id) FROM hash_entries),"
        " (SELECT max(withdrawn_at) FROM hash_entries),"
        " (SELECT count(*) FROM subscribed_hashes),"
        " (SELECT max(id) FROM subscribed_hashes),"
        " (SELECT count(*) FROM hash_subscriptions WHERE action = 'refuse')"
    )
    return tuple(rows[0].values()) if hasattr(rows[0], "values") else tuple(rows[0])


async def refresh_index(screener: Screener, urls: Urls) -> None:
    """Before screening: the screener matches against the lists as they are now."""
    screener.hash_index = await current_index(
        screener.hash_index, urls.hash_list, urls.hash_list_entry
    )


async def current_index(
    previous: HashIndex, local_list: str, entry_url: Callable[[int], str]
) -> HashIndex:
    """`previous` when nothing changed, else the lists as they are now."""
    fingerprint = await _fingerprint()
    if fingerprint == previous.fingerprint:
        return previous
    hashes: list[str] = []
    listed: list[ListedHash] = []
    for row_id, value in await HashEntry.filter(withdrawn_at=None).values_list("id", "hash"):
        hashes.append(value)
        listed.append(ListedHash(local_list, entry_url(row_id), "refuse"))
    subscribed = {
        sub_id: (url, action)
        for sub_id, url, action in await HashSubscription.all().values_list("id", "url", "action")
    }
    for sub_id, entry_id, value in await SubscribedHash.all().values_list(
        "subscription_id", "entry_id", "hash"
    ):
        hashes.append(value)
        url, action = subscribed[sub_id]
        listed.append(ListedHash(url, entry_id, action))
    return HashIndex(hashes, listed, fingerprint)
