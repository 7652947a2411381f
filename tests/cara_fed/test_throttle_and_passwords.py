"""The sign-in rate limit's window, and password checking against the stored scrypt hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cara_fed.services.accounts import hash_password
from cara_fed.services.sessions import verify_password
from cara_fed.services.throttle import Throttle, prune

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


async def test_five_failures_block_until_the_first_leaves_the_window(database):
    throttle = Throttle("login", attempts=5, window_seconds=900)
    keys = ["addr:1.2.3.4", "name:alice"]
    for second in range(5):
        assert await throttle.retry_after(keys, at(second)) == 0
        await throttle.failed(keys, at(second))
    assert await throttle.retry_after(keys, at(5)) == 895
    assert await throttle.retry_after(["name:alice"], at(899.5)) == 1
    assert await throttle.retry_after(keys, at(900)) == 0  # the first failure has aged out


async def test_one_blocked_key_blocks_and_a_success_clears_its_own_keys(database):
    throttle = Throttle("login", attempts=2, window_seconds=60)
    await throttle.failed(["name:alice"], at(0))
    await throttle.failed(["name:alice"], at(1))
    assert await throttle.retry_after(["addr:5.6.7.8", "name:alice"], at(2)) > 0
    await throttle.succeeded(["name:alice"])
    assert await throttle.retry_after(["addr:5.6.7.8", "name:alice"], at(2)) == 0


async def test_throttles_count_apart_and_two_copies_count_together(database):
    """Two web processes each hold their own Throttle object over one database: what one
    counts, the other sees. Buckets (sign-in, sign-up) do not count against each other."""
    here, there = Throttle("signup", 2, 3600), Throttle("signup", 2, 3600)
    await here.record(["addr:9.9.9.9"], at(0))
    await there.record(["addr:9.9.9.9"], at(10))
    assert await here.retry_after(["addr:9.9.9.9"], at(20)) == 3580
    assert await Throttle("login", 2, 3600).retry_after(["addr:9.9.9.9"], at(20)) == 0


async def test_pruning_forgets_only_attempts_no_window_counts(database):
    old, recent = Throttle("status", 300, 3 * 3600), Throttle("login", 1, 900)
    await old.record(["member:1"], at(0))
    await recent.failed(["name:bob"], at(3 * 3600 + 100))
    assert await prune(at(3 * 3600 + 200)) == 1
    assert await recent.retry_after(["name:bob"], at(3 * 3600 + 200)) == 800


def test_a_password_matches_only_its_own_hash():
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(None, "anything")
    assert not verify_password("scrypt$broken", "anything")
    assert hash_password("correct horse battery") != stored  # salted
