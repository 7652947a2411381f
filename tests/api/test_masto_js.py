"""A second client checks the JSON: masto.js (the library Elk is built on, pinned in
tests/js) signs in with a token and reads the account, the home timeline, notifications
and the instance, decoding each into its own entities under Node."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.api.test_posting_mastodon_py import PASSWORD, sign_in_app, wait_ready
from tests.conftest import artwork

JS = Path(__file__).resolve().parents[1] / "js"


def masto_read(base_url: str, token: str) -> dict:
    done = subprocess.run(
        ["node", str(JS / "masto_read.mjs")],
        env={**os.environ, "BASE": base_url, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def site(make_module_instance):
    if not (JS / "node_modules" / "masto").is_dir():
        pytest.fail("masto.js is not installed: run `bash scripts/setup test`")
    instance = make_module_instance("masto")
    for name in ("alice", "bea"):
        instance.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return instance


def test_masto_js_reads_what_mastodon_py_wrote(site):
    assert "accepted" in site.cli("follow", "bea", "alice").stdout
    alice, bea = sign_in_app(site, "alice"), sign_in_app(site, "bea")
    upload = wait_ready(
        alice,
        alice.media_post(
            io.BytesIO(artwork(180, 120, seed=60)), mime_type="image/jpeg", description="a gull"
        ),
    )
    status = alice.status_post("Gull", media_ids=[upload], spoiler_text="birds")
    bea.status_favourite(status["id"])

    seen_by_bea = masto_read(site.base_url, bea.access_token)
    assert seen_by_bea["me"]["username"] == "bea"
    assert seen_by_bea["home"] == [
        {
            "id": status["id"],
            "account": "alice",
            "spoilerText": "birds",
            "media": [{"description": "a gull", "type": "image"}],
            "favouritesCount": 1,
        },
    ]
    assert seen_by_bea["fetched"] == status["id"]
    assert seen_by_bea["instance"]["version"].startswith("4.3.0 (compatible; cara-fed")

    seen_by_alice = masto_read(site.base_url, alice.access_token)
    assert seen_by_alice["me"]["followersCount"] == 1
    assert seen_by_alice["me"]["avatar"].endswith("/avatars/original/missing.png")
    assert sorted(n["type"] for n in seen_by_alice["notifications"]) == ["favourite", "follow"]
    assert {n["account"] for n in seen_by_alice["notifications"]} == {"bea"}
