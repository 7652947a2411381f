"""A read-only database or a full disk: the inbox answers 503 with Retry-After and a reason,
and nothing half-written stays behind.

The failures are SQLite's own, provoked on the connection the app itself uses, so the app runs
in this process (driven through Quart's test client, not a socket): `PRAGMA query_only` makes
every write fail as on a read-only database, and `PRAGMA max_page_count` makes the file full
as a full disk would. The signing peer is a real instance on loopback."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from tortoise import connections

from cara_fed.app import create_app
from cara_fed.config import load_config
from tests.e2e.crafted import create_note, signed
from tests.instances import free_port


@pytest.fixture
def peer(make_instance):
    b = make_instance("b")
    b.cli("user", "add", "bob")
    return b


def config_for(tmp_path):
    port = free_port()
    (tmp_path / "instance.toml").write_text(
        f'[instance]\nurl = "http://127.0.0.1:{port}"\ndata_dir = "data"\n'
        "[federation]\nallow_private_addresses = true\n[cloak]\nenabled = false\n"
    )
    return load_config(tmp_path / "instance.toml")


async def post_create(client, config, b, content: str):
    key_id, pem = b.private_key("bob")
    activity = create_note(f"{b.base_url}/users/bob", content=content)
    body = json.dumps(activity).encode()
    url = f"{config.base_url}/inbox"
    headers = signed(url, body, key_id, pem)
    headers["host"] = urlsplit(url).netloc
    return await client.post("/inbox", data=body, headers=headers)


async def count(table: str) -> int:
    rows = await connections.get("default").execute_query_dict(f"SELECT count(*) AS n FROM {table}")
    return rows[0]["n"]


@pytest.mark.parametrize("failure", ["read-only", "full"])
async def test_a_storage_failure_is_a_503_and_leaves_nothing_behind(tmp_path, peer, failure):
    config = config_for(tmp_path)
    app = create_app(config, with_worker=False)
    async with app.test_app():
        client = app.test_client()
        db = connections.get("default")
        # A first activity goes through, so bob's actor and key are cached.
        assert (await post_create(client, config, peer, "<p>first</p>")).status_code == 202
        before = await count("inbound_activities")
        if failure == "read-only":
            await db.execute_script("PRAGMA query_only = ON")
            content = "<p>second</p>"
        else:
            [row] = await db.execute_query_dict("PRAGMA page_count")
            await db.execute_script(f"PRAGMA max_page_count = {row['page_count']}")
            content = "<p>" + "x" * 400_000 + "</p>"  # needs pages the file may not grow
        response = await post_create(client, config, peer, content)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "60"
        message = (await response.get_json())["error"]
        assert "cannot write to its database" in message and "nothing was stored" in message
        await db.execute_script("PRAGMA query_only = OFF; PRAGMA max_page_count = 1073741823")
        assert await count("inbound_activities") == before
        # And the server works again once the disk does.
        assert (await post_create(client, config, peer, "<p>third</p>")).status_code == 202
        assert await count("inbound_activities") == before + 1
