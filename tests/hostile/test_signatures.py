"""Signatures a stranger can get wrong on purpose, sent to a running instance over real HTTP.
Each is refused with 401 and a reason, and changes nothing: no inbound row, no post, no
remote actor cached. (Forged, missing, malformed signatures, wrong digests and origin spoofing
are in tests/e2e/test_inbox_trust.py; this file adds the rest of issue 5's list.)"""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from federation.digest import digest_header
from federation.keys import generate_rsa_keypair, load_private_key
from federation.signatures.cavage import sign_headers
from tests.e2e.crafted import create_note, signed
from tests.hostile.attacker import Attacker


def state(a) -> tuple[int, int, int]:
    return (
        a.query("SELECT count(*) FROM inbound_activities")[0][0],
        a.query("SELECT count(*) FROM posts")[0][0],
        a.query("SELECT count(*) FROM actors WHERE local = FALSE")[0][0],
    )


def assert_refused(a, body: bytes, headers: dict[str, str], reason: str) -> None:
    before = state(a)
    response = httpx.post(f"{a.base_url}/inbox", content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert reason in response.json()["error"]
    assert state(a) == before


def bob_signs(a, b, body: bytes, *, now: datetime | None = None, covered=None) -> dict:
    key_id, pem = b.private_key("bob")
    return sign_headers(
        method="POST",
        url=f"{a.base_url}/inbox",
        headers={"content-type": "application/activity+json", "digest": digest_header(body)},
        key_id=key_id,
        private_key_pem=pem,
        now=now or datetime.now(UTC),
        signed=covered,
    )


@pytest.fixture(scope="module")
def note(pair) -> bytes:
    _, b = pair
    return json.dumps(create_note(f"{b.base_url}/users/bob")).encode()


def test_an_algorithm_we_do_not_accept_is_refused(pair, note):
    a, b = pair
    headers = bob_signs(a, b, note)
    headers["signature"] = headers["signature"].replace("rsa-sha256", "hmac-sha256")
    assert_refused(a, note, headers, "algorithm")


def test_a_post_whose_digest_is_not_signed_is_refused(pair, note):
    a, b = pair
    headers = bob_signs(a, b, note, covered=("(request-target)", "host", "date"))
    assert_refused(a, note, headers, "digest")


@pytest.mark.parametrize("hours, reason", [(-3, "Date is too old"), (3, "Date is in the future")])
def test_a_date_outside_the_window_is_refused(pair, note, hours, reason):
    a, b = pair
    headers = bob_signs(a, b, note, now=datetime.now(UTC) + timedelta(hours=hours))
    assert_refused(a, note, headers, reason)


def test_a_captured_request_replayed_after_the_window_is_refused(pair, note):
    """Captured 66 minutes ago (Mastodon keeps a signature valid for about an hour), never
    delivered, now replayed."""
    a, b = pair
    headers = bob_signs(a, b, note, now=datetime.now(UTC) - timedelta(minutes=66))
    assert_refused(a, note, headers, "Date is too old")


def test_an_rfc9421_signature_without_created_is_refused(pair, note):
    a, b = pair
    key_id, pem = b.private_key("bob")
    content_digest = "sha-256=:" + digest_header(note)[8:] + ":"
    params = f'("@method" "@target-uri" "content-digest");keyid="{key_id}";alg="rsa-v1_5-sha256"'
    base = (
        f'"@method": POST\n"@target-uri": {a.base_url}/inbox\n'
        f'"content-digest": {content_digest}\n"@signature-params": {params}'
    )
    key = load_private_key(pem)
    value = base64.b64encode(key.sign(base.encode(), padding.PKCS1v15(), hashes.SHA256()))
    headers = {
        "content-type": "application/activity+json",
        "content-digest": content_digest,
        "signature-input": f"sig1={params}",
        "signature": f"sig1=:{value.decode()}:",
    }
    assert_refused(a, note, headers, "no created time")


def test_a_key_its_owner_does_not_list_back_is_refused(pair):
    """Misskey CVE-2026-28432 class: the key document names an owner, the owner's actor lists
    another key. Whoever holds the first key must not speak for that actor."""
    a, _ = pair
    server = Attacker()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = server.origin
        actor = f"{origin}/users/victim"
        private_pem, public_pem = generate_rsa_keypair()
        _, victims_pem = generate_rsa_keypair()
        server.documents = {
            "/keys/stray": {
                "id": f"{origin}/keys/stray",
                "owner": actor,
                "publicKeyPem": public_pem,
            },
            "/users/victim": {
                "@context": ["https://www.w3.org/ns/activitystreams"],
                "id": actor,
                "type": "Person",
                "preferredUsername": "victim",
                "inbox": f"{actor}/inbox",
                "publicKey": {
                    "id": f"{actor}#main-key",
                    "owner": actor,
                    "publicKeyPem": victims_pem,
                },
            },
        }
        body = json.dumps(create_note(actor)).encode()
        headers = signed(f"{a.base_url}/inbox", body, f"{origin}/keys/stray", private_pem)
        before = state(a)
        response = httpx.post(f"{a.base_url}/inbox", content=body, headers=headers)
        assert response.status_code == 401, response.text
        assert "does not list key" in response.json()["error"]
        assert state(a)[:2] == before[:2]
        # The victim may now be cached (verification fetched it), with its own key only.
        keys = a.query("SELECT key_id, public_key_pem FROM actors WHERE uri = ?", actor)
        assert keys in ([], [(f"{actor}#main-key", victims_pem)])
    finally:
        server.shutdown()
