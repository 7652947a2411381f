"""The sign-in rate limit's window, and password checking against the stored scrypt hash."""

from __future__ import annotations

from cara_fed.services.accounts import hash_password
from cara_fed.services.sessions import verify_password
from cara_fed.services.throttle import Throttle


def test_five_failures_block_until_the_first_leaves_the_window():
    throttle = Throttle(attempts=5, window_seconds=900)
    keys = ["addr:1.2.3.4", "name:alice"]
    for second in range(5):
        assert throttle.retry_after(keys, 1000.0 + second) == 0
        throttle.failed(keys, 1000.0 + second)
    assert throttle.retry_after(keys, 1005.0) == 895
    assert throttle.retry_after(["name:alice"], 1899.5) == 1
    assert throttle.retry_after(keys, 1900.0) == 0  # the first failure has aged out


def test_one_blocked_key_blocks_and_a_success_clears_its_own_keys():
    throttle = Throttle(attempts=2, window_seconds=60)
    throttle.failed(["name:alice"], 0.0)
    throttle.failed(["name:alice"], 1.0)
    assert throttle.retry_after(["addr:5.6.7.8", "name:alice"], 2.0) > 0
    throttle.succeeded(["name:alice"])
    assert throttle.retry_after(["addr:5.6.7.8", "name:alice"], 2.0) == 0


def test_a_password_matches_only_its_own_hash():
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(None, "anything")
    assert not verify_password("scrypt$broken", "anything")
    assert hash_password("correct horse battery") != stored  # salted
