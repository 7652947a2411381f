"""`cara-fed serve` runs the worker in processes of its own: it says which, they handle what
the inbox stored, they stop with the server, and they do not outlive a server killed with
SIGKILL (the parent-death signal)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from tests.e2e.crafted import create_note, signed
from tests.instances import wait_for


def worker_pids(instance) -> list[int]:
    match = re.search(r"started (\d+) worker process\(es\): pid ([\d, ]+)", instance.log())
    assert match, instance.log()
    pids = [int(p) for p in match.group(2).split(",")]
    assert len(pids) == int(match.group(1))
    return pids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_starts_two_workers_that_handle_the_inbox_and_die_with_it(make_instance):
    a = make_instance("a")
    a.cli("user", "add", "alice")
    b = make_instance("b", server_config="worker_processes = 2")
    b.cli("user", "add", "bob")
    pids = worker_pids(b)
    assert len(pids) == 2 and all(alive(p) for p in pids)
    commands = [Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0") for p in pids]
    assert all(b"worker" in c for c in commands)
    assert sum(b"--no-cloak" in c for c in commands) == 1  # one of them cloaks
    # Each worker says what it runs once it has started, not at once.
    wait_for(lambda: "inbound, deliveries, cloaking" in b.log(), what="the cloaking worker")

    # An activity addressed to bob is stored by the web server and handled by a worker.
    key_id, pem = a.private_key("alice")
    activity = create_note(
        f"{a.base_url}/users/alice", content="<p>hello bob</p>", to=[f"{b.base_url}/users/bob"]
    )
    body = json.dumps(activity).encode()
    url = f"{b.base_url}/inbox"
    assert httpx.post(url, content=body, headers=signed(url, body, key_id, pem)).status_code == 202
    wait_for(
        lambda: (
            b.query("SELECT state FROM inbound_activities WHERE uri = ?", activity["id"])
            == [("done",)]
        ),
        what="a worker to handle the Create",
    )
    assert b.query("SELECT count(*) FROM posts WHERE uri = ?", activity["object"]["id"]) == [(1,)]

    b.kill9()
    wait_for(lambda: not any(alive(p) for p in pids), what="the workers to end with the server")


def test_stopping_the_server_stops_its_workers(make_instance):
    b = make_instance("b", server_config="worker_processes = 2")
    pids = worker_pids(b)
    b.stop()
    assert not any(alive(p) for p in pids)  # stopped and reaped by the server before it exits


def test_no_worker_processes_runs_the_worker_inside_the_server(make_instance):
    b = make_instance("b", server_config="worker_processes = 0")
    assert "the worker runs in this process" in b.log()
    assert "worker process(es)" not in b.log()
