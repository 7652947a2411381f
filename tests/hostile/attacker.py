"""A server under an attacker's control, on loopback: it serves the documents a test gives it
(actors, keys, objects) by path, and WebFinger answers for the handles it is given."""

from __future__ import annotations

import http.server
import json
from urllib.parse import parse_qs

from federation.keys import generate_rsa_keypair


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
