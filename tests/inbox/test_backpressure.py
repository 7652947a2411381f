"""Backpressure switches on above the bound and off below half of it, measured in seconds of
the workers' work, on a real SQLite queue; time is a clock the test moves (no sleeping).
Then the same through the inbox: refusals are 503 with Retry-After and store nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from cara_fed.app import create_app
from cara_fed.config import load_config
from cara_fed.store.models import InboundActivity
from cara_fed.store.queue import backlog
from federation.clock import FixedClock
from inbox.backpressure import Backpressure
from tests.e2e.crafted import create_note, signed
from tests.instances import free_port

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


async def stored(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        uri = f"https://peer.example/activities/{n}"
        await InboundActivity.create(
            uri=uri, kind="Like", actor_uri="https://peer.example/users/a",
            body={"id": uri}, next_attempt_at=NOW,
        )  # fmt: skip


async def handle(count: int) -> None:
    ids = await InboundActivity.filter(state="pending").order_by("id").limit(count)
    await InboundActivity.filter(id__in=[row.id for row in ids]).update(state="done")


def pressure(clock: FixedClock) -> Backpressure:
    # A bound of 2 s of work; workers assumed to manage at least 1 activity/s.
    return Backpressure(
        lambda now: backlog(InboundActivity, now), clock, bound_seconds=2, min_rate=1
    )


async def test_refuses_above_the_bound_and_accepts_again_below_half_of_it(database):
    clock = FixedClock(NOW)
    gate = pressure(clock)
    await stored(2)
    assert await gate.retry_after() is None  # 2 waiting at ≥ 1/s: 2 s, not over the bound
    await stored(2, start=2)
    assert await gate.retry_after() is None  # not sampled again within a second
    clock.advance(1)
    retry = await gate.retry_after()  # 4 waiting, nothing handled: 4 s of work
    assert retry == 3  # down to half the bound (1 s) in about 3 s
    assert gate.reading.refusing and gate.reading.pending == 4

    await handle(2)  # the workers handle 2 in the next second: 2/s
    clock.advance(1)
    # 2 waiting at 2/s is 1 s: at half the bound, still refusing (no flapping at the edge).
    assert await gate.retry_after() is not None
    await handle(1)
    clock.advance(1)
    assert await gate.retry_after() is None  # 1 waiting at 1.5/s: under half the bound
    assert not gate.reading.refusing


async def test_a_bound_of_zero_never_refuses(database):
    clock = FixedClock(NOW)
    gate = Backpressure(
        lambda now: backlog(InboundActivity, now), clock, bound_seconds=0, min_rate=1
    )
    await stored(50)
    clock.advance(5)
    assert await gate.retry_after() is None


async def test_rows_waiting_to_be_retried_later_are_not_backlog(database):
    clock = FixedClock(NOW)
    gate = pressure(clock)
    await stored(5)
    await InboundActivity.all().update(next_attempt_at=datetime(2026, 12, 5, 13, 0, tzinfo=UTC))
    assert await gate.retry_after() is None
    assert gate.reading.pending == 0


@pytest.fixture
def peer(make_instance):
    b = make_instance("b")
    b.cli("user", "add", "bob")
    return b


async def test_the_inbox_answers_503_with_retry_after_and_stores_nothing(tmp_path, peer):
    port = free_port()
    (tmp_path / "instance.toml").write_text(
        f'[instance]\nurl = "http://127.0.0.1:{port}"\n'
        "[federation]\nallow_private_addresses = true\n"
        "inbox_backlog_seconds = 2.0\ninbox_min_handled_per_second = 1.0\n"
        "[cloak]\nenabled = false\n"
    )
    config = load_config(tmp_path / "instance.toml")
    clock = FixedClock(datetime.now(UTC))
    app = create_app(config, clock=clock, with_worker=False)  # no worker: the backlog grows
    key_id, pem = peer.private_key("bob")

    async def send(n: int):
        activity = create_note(f"{peer.base_url}/users/bob", content=f"<p>post {n}</p>")
        body = json.dumps(activity).encode()
        url = f"{config.base_url}/inbox"
        headers = signed(url, body, key_id, pem) | {"host": urlsplit(url).netloc}
        return activity["id"], await client.post("/inbox", data=body, headers=headers)

    async with app.test_app():
        client = app.test_client()
        accepted = []
        for n in range(3):
            activity_id, response = await send(n)
            assert response.status_code == 202
            accepted.append(activity_id)
        clock.advance(1)
        refused_id, response = await send(3)  # 3 waiting at ≥ 1/s: over 2 s of work
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) >= 1
        assert "behind" in (await response.get_json())["error"]
        uris = set(await InboundActivity.all().values_list("uri", flat=True))
        assert refused_id not in uris
        assert uris == set(accepted)  # nothing acknowledged was lost

        await InboundActivity.all().update(state="done")  # the workers catch up
        clock.advance(1)
        activity_id, response = await send(4)
        assert response.status_code == 202
        assert await InboundActivity.exists(uri=activity_id)


async def test_a_failed_measurement_keeps_the_last_answer():
    clock = FixedClock(NOW)
    answers = [(10, 10)]

    async def sample(now):
        if not answers:
            raise OSError("disk I/O error")
        return answers.pop()

    gate = Backpressure(sample, clock, bound_seconds=2, min_rate=1)
    assert await gate.retry_after() == 9  # 10 waiting at ≥ 1/s: refusing
    clock.advance(1)
    assert await gate.retry_after() == 9  # the sample failed: still refusing, no exception
