"""Queries about actors, local and remote."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from activitypub.actor import RemoteActor
from cara_fed.convert.from_as import actor_values
from cara_fed.store.models import Actor


async def local_actor(username: str) -> Actor | None:
    return await Actor.get_or_none(local=True, username=username)


async def actor_by_uri(uri: str) -> Actor | None:
    return await Actor.get_or_none(uri=uri)


async def actor_by_key_id(key_id: str) -> Actor | None:
    return await Actor.filter(key_id=key_id).first()


async def upsert_remote_actor(remote: RemoteActor, fetched_at: datetime) -> Actor:
    """Store what a remote actor document says; the caller has checked where it came from."""
    values = actor_values(remote, fetched_at)
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
