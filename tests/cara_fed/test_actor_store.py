"""Storing a remote actor when several requests bring it at once (its first contact often
does): every one of them gets the stored actor, none fails on the unique uri."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from activitypub.actor import RemoteActor
from cara_fed.store.actors import upsert_remote_actor
from cara_fed.store.models import Actor

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def remote(name: str = "Bo") -> RemoteActor:
    uri = "https://peer.example/users/bo"
    return RemoteActor(
        id=uri,
        type="Person",
        preferred_username="bo",
        name=name,
        summary="",
        url=None,
        inbox=f"{uri}/inbox",
        shared_inbox=None,
        outbox=None,
        followers=None,
        following=None,
        featured=None,
        key_id=f"{uri}#main-key",
        public_key_pem="-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
        manually_approves_followers=False,
        discoverable=True,
        indexable=True,
        icon_url=None,
        image_url=None,
    )


async def test_concurrent_first_contacts_store_one_actor_and_all_succeed(database):
    stored = await asyncio.gather(*(upsert_remote_actor(remote(f"Bo {n}"), NOW) for n in range(8)))
    assert len({actor.pk for actor in stored}) == 1
    assert await Actor.filter(uri=remote().id).count() == 1
    [actor] = await Actor.filter(uri=remote().id)
    assert actor.display_name.startswith("Bo ")
