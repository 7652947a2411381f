"""The in-memory key cache in front of the database: bounded in time and size, and emptied
of an actor as soon as this process learns the actor changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from federation.resolver import KeyCache
from federation.signatures.verify import KeyHolder

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def holder(n: int) -> KeyHolder:
    return KeyHolder(
        f"https://peer.example/users/{n}#main-key", f"https://peer.example/users/{n}", "PEM"
    )


def test_an_entry_is_served_until_it_expires():
    cache = KeyCache(seconds=60)
    cache.put(holder(1), NOW)
    assert cache.get(holder(1).key_id, NOW + timedelta(seconds=59)) == holder(1)
    assert cache.get(holder(1).key_id, NOW + timedelta(seconds=60)) is None


def test_the_least_recently_used_entry_goes_first_when_full():
    cache = KeyCache(entries=2)
    cache.put(holder(1), NOW)
    cache.put(holder(2), NOW)
    assert cache.get(holder(1).key_id, NOW)  # 1 is now more recent than 2
    cache.put(holder(3), NOW)
    assert cache.get(holder(2).key_id, NOW) is None
    assert cache.get(holder(1).key_id, NOW) and cache.get(holder(3).key_id, NOW)


def test_a_forgotten_key_is_looked_up_again():
    cache = KeyCache()
    cache.put(holder(1), NOW)
    cache.forget(holder(1).key_id)
    cache.forget(None)
    assert cache.get(holder(1).key_id, NOW) is None
