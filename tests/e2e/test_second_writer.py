"""A second writer never costs a request: the CLI posts and edits a profile while a burst of
signed Creates arrives (the sender unknown until then, so its first requests also race to
store it), and every Create is answered 202 and stored, every CLI command succeeds.

Before transactions began IMMEDIATE (cara_fed/store/sqlite_backend.py), a deferred
transaction that read and then wrote failed at once with `database is locked` whenever the
other process had committed in between, and the inbox answered 503; this burst does not hit
that race reliably (tests/cara_fed/test_sqlite_backend.py does). Before the actor store
caught a concurrent insert, 1 to 4 of these requests were answered 503."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from PIL import Image

from tests.e2e.crafted import create_note, signed_body

BURST = 240
SENDERS = 8


def png(tmp_path, n: int) -> str:
    path = tmp_path / f"work-{n}.png"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40 * n % 256, 90, 160)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_the_cli_writes_while_an_ingest_burst_runs_without_a_5xx_or_a_loss(make_instance, tmp_path):
    home = make_instance("home")
    peer = make_instance("peer")
    home.cli("user", "add", "ana")
    peer.cli("user", "add", "bo")
    actor = f"{peer.base_url}/users/bo"
    bodies = [signed_body(home, peer, "bo", create_note(actor)) for _ in range(BURST)]
    ids = [json.loads(body)["id"] for body, _ in bodies]
    statuses: list[int] = []
    lock = threading.Lock()

    def send(item) -> None:
        body, headers = item
        status = httpx.post(f"{home.base_url}/inbox", content=body, headers=headers, timeout=60)
        with lock:
            statuses.append(status.status_code)

    done = threading.Event()
    cli_results = []

    def writer() -> None:
        """Posts and profile edits from a second process, as long as the burst lasts."""
        n = 0
        while not done.is_set() or n < 3:
            n += 1
            cli_results.append(
                home.cli(
                    "post", "ana", "--image", png(tmp_path, n), "--alt", f"work {n}", check=False
                )
            )
            cli_results.append(home.cli("user", "edit", "ana", "--bio", f"bio {n}", check=False))

    thread = threading.Thread(target=writer)
    thread.start()
    with ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(send, bodies))
    done.set()
    thread.join(120)

    assert sorted(set(statuses)) == [202], {s: statuses.count(s) for s in set(statuses)}
    with sqlite3.connect(home.database) as db:
        stored = {
            uri
            for (uri,) in db.execute(
                "SELECT uri FROM inbound_activities WHERE actor_uri = ?", (actor,)
            )
        }
        posts = db.execute(
            "SELECT count(*) FROM posts p JOIN actors a ON a.id = p.author_id "
            "WHERE a.username = 'ana' AND a.local = TRUE"
        ).fetchone()[0]
    assert set(ids) <= stored  # everything acknowledged is on disk
    failed = [r for r in cli_results if r.returncode != 0]
    assert not failed, failed[0].stderr
    assert posts == len(cli_results) // 2
