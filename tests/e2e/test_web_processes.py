"""`cara-fed serve --workers N`: several web processes on one port, which agree on what a
visitor expects to be one thing: a session made in one process signs the browser in at
another, and failed sign-ins counted by one process count at the other.

Which process answers a connection is the kernel's choice. To make it the test's, the other
process is paused (SIGSTOP) while a request is made: a paused process cannot accept, so the
running one takes every new connection. Each request opens a connection of its own."""

from __future__ import annotations

import os
import re
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.api.test_posting_mastodon_py import sign_in_app
from tests.e2e.test_worker_processes import alive

PASSWORD = "correct horse battery"


def web_children(pid: int) -> list[int]:
    """The web processes the server `pid` started (`serve --listen-fd`)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"--listen-fd" in command:
            found.append(int(stat.parent.name))
    return found


@contextmanager
def paused(pid: int):
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def fresh(site, **cookies: str) -> httpx.Client:
    """A client that opens a new connection for every request."""
    return httpx.Client(
        base_url=site.base_url,
        cookies=cookies,
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"Connection": "close"},
        timeout=10,
    )


def sign_in(site, name: str, password: str) -> httpx.Response:
    with fresh(site) as client:
        form = client.get("/login")
        [token] = re.findall(r'name="csrf" value="([^"]+)"', form.text)
        return client.post("/login", data={"csrf": token, "username": name, "password": password})


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("site", server_config="worker_processes = 1\nweb_processes = 2")
    instance.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    instance.cli("user", "add", "bea", "--password-stdin", stdin=PASSWORD + "\n")
    return instance


def test_the_server_starts_its_web_processes_and_they_stop_with_it(make_instance):
    site = make_instance("solo", server_config="worker_processes = 0\nweb_processes = 3")
    assert "serving from 3 web processes" in site.log()
    children = web_children(site.process.pid)
    assert len(children) == 2 and all(alive(pid) for pid in children)
    site.stop()
    assert not any(alive(pid) for pid in children)


def test_a_session_made_in_one_process_signs_in_at_the_other(site):
    [child] = web_children(site.process.pid)
    with paused(child):
        signed_in = sign_in(site, "alice", PASSWORD)
    assert signed_in.status_code == 303
    cookie = signed_in.cookies["cara_session"]
    with paused(site.process.pid), fresh(site, cara_session=cookie) as client:
        page = client.get("/home")
    assert page.status_code == 200 and "Signed in as alice" in page.text


def post_status(site, token: str, key: str) -> httpx.Response:
    with fresh(site) as client:
        return client.post(
            "/api/v1/statuses",
            data={"status": "@bea a study in blue", "visibility": "direct"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        )


def test_an_idempotency_key_used_at_one_process_is_known_at_the_other(site):
    token = sign_in_app(site, "alice").access_token
    [child] = web_children(site.process.pid)
    with paused(child):
        first = post_status(site, token, "retry-1")
    with paused(site.process.pid):
        again = post_status(site, token, "retry-1")
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert again.json()["id"] == first.json()["id"]
    # Racing retries, wherever they land, make one status between them.
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: post_status(site, token, "race-1"), range(4)))
    made = {a.json()["id"] for a in answers if a.status_code == 200}
    assert len(made) == 1 and all(a.status_code in (200, 409) for a in answers)
    texts = site.query("SELECT count(*) FROM posts WHERE content LIKE '%a study in blue%'")
    assert texts == [(2,)]  # retry-1's and race-1's


def test_failed_sign_ins_counted_by_one_process_count_at_the_other(site):
    """Last: it leaves the test's address unable to sign in for 15 minutes."""
    [child] = web_children(site.process.pid)
    with paused(site.process.pid):  # the child takes three
        assert [sign_in(site, "bea", "wrong").status_code for _ in range(3)] == [401] * 3
    with paused(child):  # the first server takes the rest
        assert [sign_in(site, "bea", "wrong").status_code for _ in range(2)] == [401] * 2
        refused = sign_in(site, "bea", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 800
