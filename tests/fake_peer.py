"""A fake remote server on loopback with any number of actors: it serves their actor documents
(with real keys) and records every activity POSTed to their inboxes. Tests use it where a whole
second instance would be slow (dozens of followers) or could not misbehave on purpose.

Actors may share an inbox per fake "server" (`endpoints.sharedInbox`), as Mastodon's do, so
one process stands for several peers. Every POST is kept with its arrival order; answers can
be delayed, so that a test can kill the sender while requests are in flight.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from federation.digest import digest_header
from federation.keys import generate_rsa_keypair
from federation.signatures.cavage import sign_headers


@dataclass(frozen=True)
class Received:
    inbox: str
    activity_id: str
    kind: str
    body: dict[str, Any]


@dataclass(frozen=True)
class File:
    """A file the peer serves. `pad_to` sends zeros after `body` up to that many bytes, with
    that Content-Length, or with none (the end marked by closing) when `declare_length` is
    False: a large file costs the test nothing to hold."""

    body: bytes
    content_type: str
    pad_to: int = 0
    declare_length: bool = True
    redirect_to: str | None = None  # answer 302 to this URL instead
    # Send the body in 20 pieces spread over this many seconds (a peer trickling an image
    # to stay inside each read timeout).
    trickle_seconds: float = 0.0
    content_encoding: str = ""  # sent as Content-Encoding (the body is already encoded)


@dataclass
class FakePeer:
    """Start with `start()`, stop with `stop()`; `received` is appended to from server threads."""

    delay_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.peer = self  # type: ignore[attr-defined]
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.private_pem, self.public_pem = generate_rsa_keypair()
        self._actors: dict[str, dict[str, Any]] = {}
        self._files: dict[str, File] = {}
        self.bytes_sent: dict[str, int] = {}
        self.gets: dict[str, int] = {}  # GETs of each file, by path
        self._lock = threading.Lock()

    def start(self) -> FakePeer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_actor(self, name: str, *, server: str | None = None) -> str:
        """A Person at /<server or name>/users/<name>; actors given the same `server` share
        /<server>/inbox as their shared inbox. Returns the actor's id."""
        uri = f"{self.origin}/{server or name}/users/{name}"
        doc: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": uri,
            "type": "Person",
            "preferredUsername": name,
            "inbox": f"{uri}/inbox",
            "outbox": f"{uri}/outbox",
            "followers": f"{uri}/followers",
            "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": self.public_pem},
        }
        if server:
            doc["endpoints"] = {"sharedInbox": f"{self.origin}/{server}/inbox"}
        self._actors[uri.removeprefix(self.origin)] = doc
        return uri

    def add_file(self, path: str, file: File) -> str:
        """Serve `file` at `path` (a path as the request will carry it); returns its URL."""
        self._files[path] = file
        return f"{self.origin}{path}"

    def remove_file(self, url: str) -> None:
        """Stop serving the file at `url` (its GETs are answered 404 from now on)."""
        self._files.pop(url.removeprefix(self.origin), None)

    def file(self, path: str) -> File | None:
        return self._files.get(path)

    def inbox_of(self, actor: str) -> str:
        doc = self._actors[actor.removeprefix(self.origin)]
        return doc.get("endpoints", {}).get("sharedInbox", doc["inbox"])

    def record(self, path: str, body: bytes) -> None:
        try:
            doc = json.loads(body)
        except ValueError:
            return
        with self._lock:
            self.received.append(
                Received(f"{self.origin}{path}", str(doc.get("id")), str(doc.get("type")), doc)
            )

    def document(self, path: str) -> dict[str, Any] | None:
        return self._actors.get(path)

    def by_inbox(self, kind: str) -> dict[str, list[str]]:
        """Activity ids of `kind` received per inbox, in arrival order (duplicates kept)."""
        with self._lock:
            seen = list(self.received)
        out: dict[str, list[str]] = {}
        for item in seen:
            if item.kind == kind:
                out.setdefault(item.inbox, []).append(item.activity_id)
        return out

    def send(
        self, actor: str, inbox: str, activity: dict[str, Any], **client: Any
    ) -> httpx.Response:
        """POST `activity` to `inbox`, signed with `actor`'s key."""
        body = json.dumps(activity).encode()
        headers = sign_headers(
            method="POST",
            url=inbox,
            headers={"content-type": "application/activity+json", "digest": digest_header(body)},
            key_id=f"{actor}#main-key",
            private_key_pem=self.private_pem,
            now=datetime.now(UTC),
        )
        return httpx.post(inbox, content=body, headers=headers, timeout=10)

    def get(self, actor: str, url: str) -> httpx.Response:
        """GET `url` as ActivityStreams, signed with `actor`'s key (an authorized fetch)."""
        headers = sign_headers(
            method="GET",
            url=url,
            headers={"accept": "application/activity+json"},
            key_id=f"{actor}#main-key",
            private_key_pem=self.private_pem,
            now=datetime.now(UTC),
        )
        return httpx.get(url, headers=headers, timeout=10)

    def new_id(self, actor: str) -> str:
        return f"{actor}/activities/{uuid.uuid4()}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def peer(self) -> FakePeer:
        return self.server.peer  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        file = self.peer.file(self.path)
        if file is not None:
            return self._send_file(file)
        doc = self.peer.document(self.path.split("?")[0])
        if doc is None:
            self._answer(404, b"{}")
        else:
            self._answer(200, json.dumps(doc).encode())

    def _send_file(self, file: File) -> None:
        self.peer.gets[self.path] = self.peer.gets.get(self.path, 0) + 1
        if file.redirect_to:
            self.send_response(302)
            self.send_header("Location", file.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        length = max(len(file.body), file.pad_to)
        self.send_response(200)
        self.send_header("Content-Type", file.content_type)
        if file.content_encoding:
            self.send_header("Content-Encoding", file.content_encoding)
        if file.declare_length:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        sent = 0
        chunk = file.body
        try:
            if file.trickle_seconds:
                step = max(1, len(file.body) // 20 + 1)
                for start in range(0, len(file.body), step):
                    self.wfile.write(file.body[start : start + step])
                    self.wfile.flush()
                    sent += len(file.body[start : start + step])
                    time.sleep(file.trickle_seconds / 20)
                chunk = bytes(1 << 20)
            while sent < length:
                self.wfile.write(chunk[: length - sent])
                sent += len(chunk[: length - sent])
                chunk = bytes(1 << 20)
        except OSError:
            pass  # the client hung up: that is what some tests want to see
        finally:
            self.peer.bytes_sent[self.path] = sent

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.peer.delay_seconds:
            time.sleep(self.peer.delay_seconds)
        self.peer.record(self.path, body)
        self._answer(202, b"{}")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass
