"""`kill -9` of a server at random points, ten times, during an ingest burst and during a
fan-out. After the last restart: every activity answered 202 has been processed exactly once,
and every queued delivery has reached its inbox; a delivery may be repeated only when the kill
came while it was in flight (at-least-once, as in every fediverse server), and the receiver's
final state holds it once.
"""

from __future__ import annotations

import os
import random
import signal
import threading
from typing import Any

import httpx
import pytest

from tests.conftest import artwork, on_postgres
from tests.e2e.test_worker_processes import worker_pids
from tests.fake_peer import FakePeer
from tests.instances import wait_for

# Ten kills at random points per test (the issue asked for kill -9 tests, not a count; keep at
# least ten): twenty made these the two slowest end-to-end tests for no different assertion.
ROUNDS = 10
# [delivery] concurrency: at most this many sends are in flight in a worker at a kill.
SLOTS = 8


@pytest.fixture
def peer():
    peer = FakePeer().start()
    yield peer
    peer.stop()


def direct_create(peer: FakePeer, actor: str, to: str) -> dict[str, Any]:
    note_id = f"{actor}/statuses/{random.getrandbits(60)}"
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "to": [to],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": actor,
            "content": "<p>hello</p>",
            "to": [to],
        },
    }


class Burst:
    """Signed Creates POSTed by `threads` senders until stopped; remembers every answer."""

    def __init__(self, peer: FakePeer, actors: list[str], inbox: str, to: str) -> None:
        self.peer, self.actors, self.inbox, self.to = peer, actors, inbox, to
        self.answered: dict[str, int] = {}
        self.unanswered: dict[str, dict[str, Any]] = {}
        self._stop = threading.Event()
        self._answering = threading.Event()
        self._lock = threading.Lock()

    def _sender(self, index: int) -> None:
        while not self._stop.is_set():
            actor = self.actors[index % len(self.actors)]
            activity = direct_create(self.peer, actor, self.to)
            try:
                status = self.peer.send(actor, self.inbox, activity).status_code
            except httpx.HTTPError:
                status = None
            with self._lock:
                if status is None:
                    self.unanswered[activity["id"]] = activity
                else:
                    self.answered[activity["id"]] = status
                    self._answering.set()
            if status is None:
                return  # the server is gone until the next round

    def run(self, threads: int, seconds: float, kill) -> None:
        """Kill `seconds` after the server first answers this round: during the burst,
        however long a loaded machine takes to answer the first request."""
        self._stop.clear()
        self._answering.clear()
        senders = [threading.Thread(target=self._sender, args=(i,)) for i in range(threads)]
        for sender in senders:
            sender.start()
        self._answering.wait(20)
        self._stop.wait(seconds)
        kill()
        self._stop.set()
        for sender in senders:
            sender.join(30)


def test_kill_9_during_an_ingest_burst_loses_and_repeats_nothing(make_instance, peer):
    receiver = make_instance("receiver", start=False)
    receiver.cli("user", "add", "alice")
    alice = f"{receiver.base_url}/users/alice"
    actors = [peer.add_actor(f"sender{i}") for i in range(6)]
    burst = Burst(peer, actors, f"{receiver.base_url}/inbox", alice)
    rng = random.Random(20261124)

    for _ in range(ROUNDS):
        receiver.start()
        burst.run(threads=6, seconds=rng.uniform(0.05, 0.6), kill=receiver.kill9)

    receiver.start()
    accepted = {uri for uri, status in burst.answered.items() if status == 202}
    assert len(accepted) >= ROUNDS, "the bursts should have been answered many times"
    assert set(burst.answered.values()) == {202}, burst.answered
    # What was never answered, a sender sends again; it may or may not have been stored.
    for uri, activity in burst.unanswered.items():
        assert peer.send(activity["actor"], burst.inbox, activity).status_code == 202, uri
    sent = accepted | set(burst.unanswered)

    def pending() -> int:
        return receiver.query("SELECT count(*) FROM inbound_activities WHERE state != 'done'")[0][0]

    wait_for(lambda: pending() == 0, timeout=60, what="every stored activity to be processed")
    stored = {uri for (uri,) in receiver.query("SELECT uri FROM inbound_activities")}
    assert accepted <= stored, f"answered 202 but lost: {sorted(accepted - stored)[:5]}"
    assert stored == sent
    notes = {uri.removesuffix("/activity") for uri in sent}
    posts = receiver.query("SELECT uri, count(*) FROM posts GROUP BY uri")
    assert {uri for uri, _ in posts} == notes
    assert all(count == 1 for _, count in posts)
    assert receiver.query("SELECT count(*) FROM inbound_activities WHERE error IS NOT NULL") == [
        (0,)
    ]
    print(f"{ROUNDS} kills: {len(accepted)} answered 202, {len(burst.unanswered)} unanswered")


def distinct_arrivals(peer: FakePeer) -> int:
    return sum(len(set(ids)) for ids in peer.by_inbox("Create").values())


def followed_by_48(sender, peer: FakePeer) -> set[str]:
    """bob on `sender` (running) followed by 24 actors on 4 servers with shared inboxes and 24
    with their own inbox only; returns the 28 inboxes a post of his goes to."""
    sender.cli("user", "add", "bob")
    bob = f"{sender.base_url}/users/bob"
    followers = [peer.add_actor(f"fan{i}", server=f"server{i % 4}") for i in range(24)]
    followers += [peer.add_actor(f"solo{i}") for i in range(24)]
    for actor in followers:
        follow = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": peer.new_id(actor),
            "type": "Follow",
            "actor": actor,
            "object": bob,
        }
        assert peer.send(actor, f"{sender.base_url}/inbox", follow).status_code == 202
    wait_for(
        lambda: sum(len(v) for v in peer.by_inbox("Accept").values()) == len(followers),
        timeout=60,
        what="every follow to be accepted",
    )
    inboxes = {peer.inbox_of(actor) for actor in followers}
    assert len(inboxes) == 28
    return inboxes


def post_works(sender, tmp_path, count: int) -> set[str]:
    picture = tmp_path / "work.png"
    picture.write_bytes(artwork(64, 48, fmt="PNG"))
    for i in range(count):
        sender.cli("post", "bob", "--text", f"work {i}", "--image", str(picture), "--alt", "ink")
    creates = {
        uri for (uri,) in sender.query("SELECT uri FROM outbound_activities WHERE kind = 'Create'")
    }
    assert len(creates) == count
    return creates


def every_post_in_every_inbox(sender, peer: FakePeer, inboxes: set[str], creates: set[str]) -> int:
    """Once the sender's queue is done: every inbox got every post; returns how many
    arrivals were repeats."""
    wait_for(
        lambda: sender.query("SELECT count(*) FROM deliveries WHERE state != 'done'") == [(0,)],
        timeout=120,
        what="every delivery to be done",
    )
    received = peer.by_inbox("Create")
    assert set(received) == inboxes
    for inbox, ids in received.items():
        assert set(ids) == creates, f"{inbox} got {sorted(set(ids))}"
    return sum(len(ids) - len(set(ids)) for ids in received.values())


def test_kill_9_during_a_fan_out_delivers_everything_and_repeats_only_what_was_in_flight(
    make_instance, peer, tmp_path
):
    sender = make_instance("sender")
    inboxes = followed_by_48(sender, peer)
    sender.stop()
    creates = post_works(sender, tmp_path, 6)
    peer.delay_seconds = 0.05  # requests are in flight when the kill comes
    rng = random.Random(11)

    total = len(inboxes) * len(creates)
    for _ in range(ROUNDS):
        sender.start()
        target = min(total, distinct_arrivals(peer) + rng.randint(0, 12))
        wait_for(
            lambda t=target: distinct_arrivals(peer) >= t,
            timeout=30,
            interval=0.01,
            what="some deliveries to arrive",
        )
        sender.kill9()

    sender.start()
    repeats = every_post_in_every_inbox(sender, peer, inboxes, creates)
    assert repeats <= ROUNDS * SLOTS, f"{repeats} repeats after {ROUNDS} kills"
    print(f"{ROUNDS} kills: {total} deliveries, {repeats} repeated")


def test_kill_9_of_one_of_three_workers_during_a_fan_out_loses_no_delivery(
    make_instance, peer, tmp_path
):
    """The web server stays up; one of its three worker processes is killed while sends are
    on their way. The other two take its rows over once their leases expire: every inbox gets
    every post, and only what the killed worker had in flight may arrive twice."""
    if not on_postgres():
        pytest.skip(
            "run by the PostgreSQL pass of scripts/test, where workers claim rows with "
            "SKIP LOCKED; on SQLite the server-kill test above covers a killed worker"
        )
    sender = make_instance("sender", server_config="worker_processes = 3")
    inboxes = followed_by_48(sender, peer)
    pids = worker_pids(sender)
    assert len(pids) == 3
    peer.delay_seconds = 0.2  # sends are in flight when the kill comes
    creates = post_works(sender, tmp_path, 3)
    total = len(inboxes) * len(creates)
    wait_for(
        lambda: 10 <= distinct_arrivals(peer),
        timeout=30,
        interval=0.01,
        what="some deliveries to arrive",
    )
    assert distinct_arrivals(peer) < total, "the fan-out ended before the kill"
    os.kill(random.Random(5).choice(pids), signal.SIGKILL)
    repeats = every_post_in_every_inbox(sender, peer, inboxes, creates)
    assert repeats <= SLOTS, f"{repeats} repeats after one worker was killed"
    print(f"one worker of three killed: {total} deliveries, {repeats} repeated")
