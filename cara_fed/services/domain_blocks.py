"""Blocking a server (Mastodon's "suspend"): from then on nothing is accepted from it, fetched
from it or sent to it, and what we held of it goes: its accounts with their posts, media,
follows and interactions, its queued activities and our queued deliveries to it. Unblocking
lets it federate again; what was removed comes back only as it is sent again."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from activitypub.values import host_of
from cara_fed.store.domain_blocks import covers, normalize
from cara_fed.store.media import media_files, remove_unused_files
from cara_fed.store.media_store import MediaStore
from cara_fed.store.models import Actor, Delivery, DomainBlock, InboundActivity, MediaAttachment


@dataclass(frozen=True)
class BlockOutcome:
    domain: str
    new: bool
    accounts: int
    deliveries: int
    inbound: int


async def block(domain: str, reason: str, media: MediaStore) -> BlockOutcome:
    domain = normalize(domain)
    covered = {domain}
    async with in_transaction():
        entry, new = await DomainBlock.get_or_create(domain=domain, defaults={"reason": reason})
        if not new and reason:
            entry.reason = reason
            await entry.save()
        hosts = await Actor.filter(local=False).distinct().values_list("domain", flat=True)
        gone = [h for h in hosts if covers(covered, h)]
        ids = await Actor.filter(local=False, domain__in=gone).values_list("id", flat=True)
        files = await media_files(MediaAttachment.filter(post__author_id__in=ids))
        # Posts, media rows, follows and interactions cascade with the actor rows.
        await Actor.filter(id__in=ids).delete()
        targets = await Delivery.filter(state="pending").distinct().values_list("domain", flat=True)
        deliveries = await Delivery.filter(
            state="pending", domain__in=[d for d in targets if covers(covered, d)]
        ).update(state="dead", last_error="its server is blocked", lease_until=None)
        pending = await InboundActivity.filter(state="pending").values_list("id", "actor_uri")
        inbound = await InboundActivity.filter(
            id__in=[i for i, actor in pending if covers(covered, host_of(actor))]
        ).update(state="failed", error="its server is blocked", lease_until=None)
    await remove_unused_files(files, media)
    return BlockOutcome(domain, new, len(ids), deliveries, inbound)


async def unblock(domain: str) -> bool:
    return bool(await DomainBlock.filter(domain=normalize(domain)).delete())


async def blocks() -> list[DomainBlock]:
    return await DomainBlock.all().order_by("domain")
