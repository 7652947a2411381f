"""SSRF: with allow_private_addresses off (the default), nothing a stranger sends makes the
instance connect to a loopback, private, link-local or unspecified address, however it is
spelt (Mastodon CVE-2026-46348 / CVE-2026-22245 class). A canary HTTP server on loopback
counts every connection it gets: it must get none, and the refused requests store nothing.

The other fetch kinds (media, redirects to a private address) go through the same guarded
client; tests/federation/test_http_client.py covers them one by one, since a remote post's
media is only fetched after its signature verified, which needs a reachable public key."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import httpx
import pytest

from federation.keys import generate_rsa_keypair
from tests.e2e.crafted import create_note, signed


class Canary(http.server.ThreadingHTTPServer):
    hits: int = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def strict(make_module_instance):
    instance = make_module_instance("strict", allow_private=False)
    instance.cli("user", "add", "ana")
    return instance


def hosts(port: int) -> list[str]:
    return [
        f"127.0.0.1:{port}",
        f"localhost:{port}",  # a name that resolves to loopback
        f"2130706433:{port}",  # 127.0.0.1 as one decimal number
        f"0177.0.0.1:{port}",  # octal
        f"127.1:{port}",
        f"[::1]:{port}",
        f"[::ffff:127.0.0.1]:{port}",
        f"[::ffff:7f00:1]:{port}",
        f"0.0.0.0:{port}",
        "169.254.169.254",  # cloud metadata
        "10.0.0.1",
        "192.168.1.1",
        "[fd00::1]",
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    ]


def stored(instance) -> tuple:
    return (
        instance.query("SELECT count(*) FROM inbound_activities")[0][0],
        instance.query("SELECT count(*) FROM actors WHERE local = FALSE")[0][0],
    )


def test_a_key_id_on_a_private_address_is_never_fetched(strict, canary):
    pem, _ = generate_rsa_keypair()
    for host in hosts(canary.server_address[1]):
        actor = f"http://{host}/users/mallory"
        body = json.dumps(create_note(actor)).encode()
        url = f"{strict.base_url}/inbox"
        headers = signed(url, body, f"{actor}#main-key", pem)
        response = httpx.post(url, content=body, headers=headers)
        assert response.status_code == 401, (host, response.text)
        assert "signature rejected" in response.json()["error"]
    assert canary.hits == 0
    assert stored(strict) == (0, 0)


def test_webfinger_and_follow_never_reach_a_private_address(strict, canary):
    for host in hosts(canary.server_address[1])[:9]:
        result = strict.cli("follow", "ana", f"mallory@{host}", check=False)
        assert result.returncode == 1, (host, result.stdout)
        assert result.stderr.strip(), "a reason is given"
    assert canary.hits == 0
    assert strict.query("SELECT count(*) FROM follows") == [(0,)]
    assert stored(strict) == (0, 0)
