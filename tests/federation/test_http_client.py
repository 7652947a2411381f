"""The guarded client against a real HTTP server on loopback."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from federation.clock import SystemClock
from federation.http_client import BlockedAddress, FetchError, GuardedClient, ResponseTooLarge
from federation.keys import generate_rsa_keypair
from federation.resolver import ResolveError, Resolver, Signer

AS = "application/activity+json"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = AS, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        me = f"http://127.0.0.1:{port}"
        if self.path == "/big":
            self._send(200, b"x" * 3_000_000)
        elif self.path == "/gzip-bomb":
            self._send(200, gzip.compress(b"\0" * 5_000_000), Content_Encoding="gzip")
        elif self.path == "/loop":
            self._send(302, b"", Location="/loop")
        elif self.path == "/object":
            self._send(200, json.dumps({"id": f"{me}/object", "type": "Note"}).encode())
        elif self.path == "/liar":
            self._send(200, json.dumps({"id": f"{me}/someone-else", "type": "Note"}).encode())
        elif self.path == "/html":
            self._send(200, json.dumps({"id": f"{me}/html"}).encode(), "text/html")
        elif self.path == "/elsewhere":
            self._send(302, b"", Location=f"http://localhost:{port}/object")
        elif self.path == "/same-origin-redirect":
            self._send(301, b"", Location="/object")
        elif self.path == "/signed":
            ok = "signature" in self.headers and "keyId=" in self.headers["signature"]
            self._send(200 if ok else 401, b"{}")
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def client(allow_private: bool = True, **kw) -> GuardedClient:
    return GuardedClient(allow_private=allow_private, user_agent="test", timeout=5, **kw)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",  # a DNS name that resolves to loopback
        "http://2130706433:9/",  # 127.0.0.1 in decimal
        "http://0177.0.0.1:9/",  # octal spelling
        "http://[::1]:9/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://0.0.0.0:9/",
    ],
)
async def test_private_targets_are_refused_before_connecting(url):
    c = client(allow_private=False)
    try:
        with pytest.raises((BlockedAddress, FetchError)) as info:
            await c.request("GET", url)
        reason = str(info.value)
        assert any(why in reason for why in ("non-public", "cannot resolve", "Invalid IPv4"))
    finally:
        await c.aclose()


async def test_non_http_schemes_and_credentials_are_refused():
    c = client()
    try:
        with pytest.raises(FetchError, match="http"):
            await c.request("GET", "file:///etc/passwd")
        with pytest.raises(FetchError, match="credentials"):
            await c.request("GET", "http://user:pw@127.0.0.1:9/")
    finally:
        await c.aclose()


async def test_bodies_over_the_cap_are_cut_off(server):
    c = client(max_bytes=1_000_000)
    try:
        with pytest.raises(ResponseTooLarge):
            await c.request("GET", f"{server}/big")
        with pytest.raises(ResponseTooLarge, match="decompresses"):
            await c.request("GET", f"{server}/gzip-bomb")
        assert len((await c.request("GET", f"{server}/big", max_bytes=4_000_000)).body) == 3_000_000
    finally:
        await c.aclose()


async def test_redirect_loops_end(server):
    c = client()
    try:
        with pytest.raises(FetchError, match="redirects"):
            await c.request("GET", f"{server}/loop", follow_redirects=True)
    finally:
        await c.aclose()


@pytest.fixture
async def resolver():
    c = client()
    private, _ = generate_rsa_keypair()
    yield Resolver(
        c,
        Signer("http://127.0.0.1/actor#main-key", private),
        SystemClock(),
        actor_ttl_seconds=60,
        max_json_bytes=100_000,
    )
    await c.aclose()


async def test_fetch_object_accepts_its_own_id_and_same_origin_redirects(server, resolver):
    assert (await resolver.fetch_object(f"{server}/object"))["type"] == "Note"
    doc = await resolver.fetch_json(f"{server}/same-origin-redirect")
    assert doc["id"] == f"{server}/object"


async def test_fetches_are_signed(server, resolver):
    assert await resolver.fetch_json(f"{server}/signed") == {}


async def test_object_whose_id_differs_from_the_url_is_refused(server, resolver):
    """GoToSocial #2639: a document served at one URL claiming to be another."""
    with pytest.raises(ResolveError, match="whose id is"):
        await resolver.fetch_object(f"{server}/liar")


async def test_non_activitystreams_content_type_is_refused(server, resolver):
    with pytest.raises(ResolveError, match="not an ActivityStreams document"):
        await resolver.fetch_object(f"{server}/html")


async def test_redirect_to_another_origin_is_refused(server, resolver):
    """Akkoma 2024.03: a fetch redirected to another host must not be trusted as the first."""
    with pytest.raises(ResolveError, match="another origin"):
        await resolver.fetch_object(f"{server}/elsewhere")
