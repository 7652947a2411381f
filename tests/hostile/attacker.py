"""A server under an attacker's control, on loopback: it serves the documents a test gives it
(actors, keys, objects) by path, and WebFinger answers for the handles it is given."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs

import httpx

from federation.keys import generate_rsa_keypair
from tests.e2e.crafted import signed


class Attacker(http.server.ThreadingHTTPServer):
    """Serves `documents` by path; everything else 404."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Documents)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.documents: dict[str, dict] = {}
        # WebFinger: resource (acct:user@host) → the actor id its answer names.
        self.handles: dict[str, str] = {}
        self.private_pem, self.public_pem = generate_rsa_keypair()

    @property
    def domain(self) -> str:
        return self.origin.removeprefix("http://")

    def actor(self, username: str, **fields) -> str:
        uri = f"{self.origin}/users/{username}"
        self.documents[f"/users/{username}"] = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": uri,
            "type": "Person",
            "preferredUsername": username,
            "inbox": f"{uri}/inbox",
            "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": self.public_pem},
            **fields,
        }
        return uri

    def post(self, inbox: str, actor: str, activity: dict) -> httpx.Response:
        """`activity` from `actor` (one of ours) to `inbox`, signed with the actor's key."""
        body = json.dumps(
            {"@context": "https://www.w3.org/ns/activitystreams", "actor": actor, **activity}
        ).encode()
        headers = signed(inbox, body, f"{actor}#main-key", self.private_pem)
        return httpx.post(inbox, content=body, headers=headers)


@contextmanager
def running() -> Iterator[Attacker]:
    server = Attacker()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class _Documents(http.server.BaseHTTPRequestHandler):
    server: Attacker

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/.well-known/webfinger":
            resource = parse_qs(query).get("resource", [""])[0]
            actor = self.server.handles.get(resource)
            links = [{"rel": "self", "type": "application/activity+json", "href": actor}]
            doc = {"subject": resource, "links": links} if actor else None
        else:
            doc = self.server.documents.get(path)
        self.send_response(200 if doc else 404)
        self.send_header("Content-Type", "application/activity+json")
        self.end_headers()
        self.wfile.write(json.dumps(doc or {}).encode())

    def log_message(self, *args) -> None:
        pass
