"""Queries about actors, local and remote."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from activitypub.actor import RemoteActor
from activitypub.values import host_of
from cara_fed.store.models import Actor


async def local_actor(username: str) -> Actor | None:
    return await Actor.get_or_none(local=True, username=username)


async def actor_by_uri(uri: str) -> Actor | None:
    return await Actor.get_or_none(uri=uri)


async def actor_by_key_id(key_id: str) -> Actor | None:
    return await Actor.filter(key_id=key_id).first()


async def upsert_remote_actor(remote: RemoteActor, fetched_at: datetime) -> Actor:
    """Store what a remote actor document says; the caller has checked where it came from."""
    values = {
        "actor_type": remote.type,
        "username": remote.preferred_username,
        "domain": host_of(remote.id),
        "display_name": remote.name,
        "summary": remote.summary,
        "url": remote.url,
        "inbox": remote.inbox,
        "shared_inbox": remote.shared_inbox,
        "outbox": remote.outbox,
        "followers_url": remote.followers,
        "following_url": remote.following,
        "featured_url": remote.featured,
        "key_id": remote.key_id,
        "public_key_pem": remote.public_key_pem,
        "manually_approves_followers": remote.manually_approves_followers,
        "discoverable": remote.discoverable,
        "indexable": remote.indexable,
        "icon_url": remote.icon_url,
        "image_url": remote.image_url,
        "fetched_at": fetched_at,
    }
    existing = await Actor.get_or_none(uri=remote.id)
    if existing is None:
        try:
            return await Actor.create(uri=remote.id, local=False, **values)
        except IntegrityError:
            # Another request stored it between our look and our insert: the first contact
            # of an actor often comes as several requests at once. Theirs is no older.
            existing = await Actor.get(uri=remote.id)
    if existing.local:
        raise ValueError(f"{remote.id} is a local actor; refusing to overwrite it")
    await existing.update_from_dict(values).save()
    return existing
