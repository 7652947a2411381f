"""What admins do with hash lists: subscribe to another instance's list (the way Mastodon
admins import a blocklist), sync it, withdraw an entry of their own."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from activitypub.errors import InvalidObject
from activitypub.values import origin, require_uri
from cara_fed.errors import UserError
from cara_fed.store import hash_lists as store
from cara_fed.store.models import HashEntry, HashSubscription
from federation.hash_list_fetch import FetchedList, ListError, fetch_list
from inbox.screening.pdq import MIN_QUALITY

if TYPE_CHECKING:
    from cara_fed.instance import Instance

log = logging.getLogger(__name__)

ACTIONS = ("refuse", "review")
# Pages a list may have: enough for its entries at 20 a page, so a list cannot keep us
# walking empty pages forever.
PAGE_SIZE_FLOOR = 20


class HashListError(UserError):
    pass


@dataclass(frozen=True)
class SyncOutcome:
    url: str
    entries: int
    skipped: list[str]
    error: str | None = None


def _check_url(instance: Instance, url: str) -> str:
    try:
        url = require_uri(url.strip(), "the list URL")
    except InvalidObject as exc:
        raise HashListError(str(exc)) from None
    if origin(url) == origin(instance.urls.base):
        raise HashListError("that is this instance's own list; it is always used here")
    return url


async def _fetch(instance: Instance, url: str) -> FetchedList:
    limit = instance.config.screening.hash_list_max_entries
    fetched = await fetch_list(
        instance.resolver, url, max_entries=limit, max_pages=10 + limit // PAGE_SIZE_FLOOR
    )
    usable = [e for e in fetched.entries if e.quality >= MIN_QUALITY]
    weak = [
        f"{e.id}: quality {e.quality} is below {MIN_QUALITY}, too flat an image to match"
        for e in fetched.entries
        if e.quality < MIN_QUALITY
    ]
    return FetchedList(usable, fetched.skipped + weak)


async def subscribe(instance: Instance, url: str, action: str) -> tuple[SyncOutcome, bool]:
    """Reads the list first: a list that cannot be read or trusted is not subscribed to.
    Returns the first sync and whether the subscription is new (else its action changed)."""
    if action not in ACTIONS:
        raise HashListError(f"the action is one of {', '.join(ACTIONS)}")
    url = _check_url(instance, url)
    try:
        fetched = await _fetch(instance, url)
    except ListError as exc:
        raise HashListError(f"{url} cannot be used, nothing was subscribed: {exc}") from None
    now = instance.clock.now()
    sub, created = await store.subscribe(url, action, now + _every(instance))
    await store.replace_entries(sub, fetched.entries, len(fetched.skipped), now)
    return SyncOutcome(url, len(fetched.entries), fetched.skipped), created


async def unsubscribe(url: str) -> None:
    if not await store.unsubscribe(url.strip()):
        raise HashListError(f"there is no subscription to {url}")


async def sync(instance: Instance, sub: HashSubscription) -> SyncOutcome:
    """A list that fails to sync keeps its last good copy in force, with the error shown."""
    try:
        fetched = await _fetch(instance, sub.url)
    except ListError as exc:
        await store.sync_failed(sub, str(exc))
        log.warning("hash list %s not synced: %s", sub.url, exc)
        return SyncOutcome(sub.url, sub.entries, [], str(exc))
    await store.replace_entries(sub, fetched.entries, len(fetched.skipped), instance.clock.now())
    log.info("hash list %s synced: %d entries", sub.url, len(fetched.entries))
    return SyncOutcome(sub.url, len(fetched.entries), fetched.skipped)


async def sync_named(instance: Instance, url: str | None) -> list[SyncOutcome]:
    subs = await store.subscriptions()
    if url is not None:
        subs = [s for s in subs if s.url == url.strip()]
        if not subs:
            raise HashListError(f"there is no subscription to {url}")
    return [await sync(instance, s) for s in subs]


async def sync_due(instance: Instance) -> int:
    """The worker's part: sync each subscription whose time has come (claimed, so that of
    several worker processes one syncs it)."""
    due = await store.claim_due(instance.clock.now(), _every(instance))
    for sub in due:
        await sync(instance, sub)
    return len(due)


async def sync_loop(instance: Instance, stop: asyncio.Event) -> None:
    """The worker's companion task: once a minute (or each sync period, when shorter), sync
    the subscriptions that are due."""
    every = min(60.0, _every(instance).total_seconds())
    while not stop.is_set():
        try:
            await sync_due(instance)
        except Exception:  # a failed look is retried at the next; the loop must live on
            log.exception("hash list sync failed")
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass


async def withdraw(instance: Instance, entry_id: int) -> None:
    if not await store.withdraw(entry_id, instance.clock.now()):
        raise HashListError(f"there is no listed entry {entry_id} (or it is already withdrawn)")


@dataclass(frozen=True)
class Summary:
    published: bool
    url: str
    listed: int
    withdrawn: int
    subscriptions: list[HashSubscription]


async def summary(instance: Instance) -> Summary:
    listed = await store.published_count()
    withdrawn = await HashEntry.filter(withdrawn_at__isnull=False).count()
    return Summary(
        instance.config.screening.publish_hash_list,
        instance.urls.hash_list,
        listed,
        withdrawn,
        await store.subscriptions(),
    )


def _every(instance: Instance) -> timedelta:
    return timedelta(minutes=instance.config.screening.hash_list_sync_minutes)
