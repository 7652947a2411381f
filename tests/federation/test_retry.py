"""One retry policy for the three durable queues, each from its own config section."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cara_fed.config import CloakSection, ConfigError, DeliverySection, InboundSection, load_config
from federation.retry import RetryPolicy


def test_the_wait_doubles_from_the_base_up_to_the_cap():
    policy = RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=4)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=100),
        timedelta(seconds=100),
    ]
    assert not policy.exhausted(3) and policy.exhausted(4)


def test_each_queue_keeps_the_schedule_it_had():
    """Deliveries 16 tries from 30 s, inbound activities 8 (their old hard-coded count), cloak
    jobs 3 from 60 s; all capped at 8 hours."""
    assert DeliverySection().retry == RetryPolicy(30.0, 8 * 3600.0, 16)
    assert InboundSection().retry == RetryPolicy(30.0, 8 * 3600.0, 8)
    assert CloakSection().retry == RetryPolicy(60.0, 8 * 3600.0, 3)


@pytest.mark.parametrize(
    ("section", "lines", "message"),
    [
        ("inbound", "max_attempts = 0", "[inbound] max_attempts must be at least 1"),
        ("delivery", "retry_base_seconds = 0", "[delivery] retries need a base above 0"),
        ("cloak", "retry_max_delay_seconds = 1", "[cloak] retries need a base above 0"),
    ],
)
def test_a_bad_schedule_is_refused_with_its_section(tmp_path, section, lines, message):
    path = tmp_path / "instance.toml"
    path.write_text(f'[instance]\nurl = "https://art.example"\n[{section}]\n{lines}\n')
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)
