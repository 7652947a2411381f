"""The personal inboxes a web process remembers: only accounts that exist, and not for long."""

from __future__ import annotations

from cara_fed.store.inbox_owners import InboxOwners
from cara_fed.store.models import Actor


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _artist(name: str, approved: bool = True) -> Actor:
    return await Actor.create(
        uri=f"https://art.example/users/{name}",
        local=True,
        username=name,
        domain="art.example",
        actor_type="Person",
        inbox=f"https://art.example/users/{name}/inbox",
        key_id="k",
        public_key_pem="pem",
        approved=approved,
    )


async def test_an_account_waiting_for_approval_is_reachable_the_moment_it_is_approved(database):
    owners = InboxOwners(clock=Clock())
    waiting = await _artist("ana", approved=False)
    assert not await owners.exists("ana")
    assert not await owners.exists("nobody")
    waiting.approved = True
    await waiting.save()
    assert await owners.exists("ana")  # a "no" is never remembered


async def test_a_deleted_account_stops_taking_deliveries_within_the_bound(database):
    clock = Clock()
    owners = InboxOwners(remember_seconds=5.0, clock=clock)
    artist = await _artist("ana")
    assert await owners.exists("ana")
    await artist.delete()
    clock.now += 4.9
    assert await owners.exists("ana")  # remembered: at most 5 s late
    clock.now += 0.2
    assert not await owners.exists("ana")
    await _artist("ana")
    assert await owners.exists("ana")
