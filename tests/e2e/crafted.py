"""Activities crafted by tests and signed with the real key of a real account on a running
instance, so that key fetching and verification on the receiving side run as in federation."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from activitypub.vocab import PUBLIC
from federation.digest import digest_header
from federation.signatures.cavage import sign_headers


def new_id(instance) -> str:
    return f"{instance.base_url}/activities/{uuid.uuid4()}"


def create_note(
    actor: str,
    *,
    content: str = "<p>hello</p>",
    to: list[str] | None = None,
    in_reply_to: str | None = None,
    attachment: list[dict[str, Any]] | None = None,
    object_base: str | None = None,
) -> dict[str, Any]:
    """A Create of a new Note by `actor` (the note's id under `object_base`, default the
    actor's own URL, so origin checks can be exercised)."""
    note_id = f"{object_base or actor}/statuses/{uuid.uuid4().int % 10**12}"
    to = to or [PUBLIC]
    note: dict[str, Any] = {
        "id": note_id,
        "type": "Note",
        "attributedTo": actor,
        "content": content,
        "to": to,
        "cc": [],
        "published": "2026-11-24T12:00:00Z",
    }
    if in_reply_to:
        note["inReplyTo"] = in_reply_to
    if attachment:
        note["attachment"] = attachment
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "to": to,
        "object": note,
    }


def signed(url: str, body: bytes, key_id: str, pem: str) -> dict[str, str]:
    return sign_headers(
        method="POST",
        url=url,
        headers={"content-type": "application/activity+json", "digest": digest_header(body)},
        key_id=key_id,
        private_key_pem=pem,
        now=datetime.now(UTC),
    )


def signed_body(target, sender, username: str, activity: dict) -> tuple[bytes, dict[str, str]]:
    """`activity` as bytes with headers signed by `username` on `sender`, for `target`."""
    key_id, pem = sender.private_key(username)
    body = json.dumps(activity).encode()
    return body, signed(f"{target.base_url}/inbox", body, key_id, pem)


def post_signed(target, sender, username: str, activity: dict) -> httpx.Response:
    body, headers = signed_body(target, sender, username, activity)
    return httpx.post(f"{target.base_url}/inbox", content=body, headers=headers)


def signed_get(url: str, signer, username: str) -> httpx.Response:
    """An ActivityStreams GET of `url` signed by `username` of the instance `signer`."""
    key_id, pem = signer.private_key(username)
    headers = sign_headers(
        method="GET",
        url=url,
        headers={"accept": "application/activity+json"},
        key_id=key_id,
        private_key_pem=pem,
        now=datetime.now(UTC),
    )
    return httpx.get(url, headers=headers)
