"""What the inbox refuses, over real HTTP against a running instance: forged signatures,
wrong digests, spoofed origins, unsigned posts, replays. Each refusal must change nothing.

The requests are crafted by the test and signed with the real key of a real account on a
second running instance, so key fetching and verification run exactly as in federation.
"""

from __future__ import annotations

import json
import uuid

import httpx

from federation.digest import digest_header
from federation.keys import generate_rsa_keypair
from tests.e2e.crafted import create_note, signed, signed_body
from tests.instances import wait_for


def bob(b) -> str:
    return f"{b.base_url}/users/bob"


def counts(a) -> tuple[int, int]:
    return (
        a.query("SELECT count(*) FROM inbound_activities")[0][0],
        a.query("SELECT count(*) FROM posts")[0][0],
    )


def assert_refused(a, body: bytes, headers: dict[str, str], status: int, reason: str) -> None:
    """POST to A's shared inbox; the answer is `status` naming `reason`, and nothing changed."""
    before = counts(a)
    response = httpx.post(f"{a.base_url}/inbox", content=body, headers=headers)
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert counts(a) == before


def signed_by_bob(a, b, activity: dict) -> tuple[bytes, dict[str, str]]:
    return signed_body(a, b, "bob", activity)


def test_a_signed_create_is_accepted_and_a_replay_changes_nothing(pair):
    a, b = pair
    key_id, pem = b.private_key("bob")
    body = json.dumps(create_note(bob(b))).encode()
    url = f"{a.base_url}/inbox"
    headers = signed(url, body, key_id, pem)
    first = httpx.post(url, content=body, headers=headers)
    assert first.status_code == 202
    note_id = json.loads(body)["object"]["id"]
    wait_for(lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", note_id), what="the post")
    before = counts(a)
    replay = httpx.post(url, content=body, headers=headers)
    assert replay.status_code == 202
    assert replay.json()["status"] == "already received"
    assert counts(a) == before


def test_forged_signature_is_refused_and_changes_nothing(pair):
    a, b = pair
    key_id, _ = b.private_key("bob")
    forger_pem, _ = generate_rsa_keypair()
    body = json.dumps(create_note(bob(b))).encode()
    headers = signed(f"{a.base_url}/inbox", body, key_id, forger_pem)
    assert_refused(a, body, headers, 401, "does not verify")


def test_wrong_digest_is_refused_and_changes_nothing(pair):
    a, b = pair
    body, headers = signed_by_bob(a, b, create_note(bob(b)))
    assert_refused(a, body.replace(b"hello", b"HACKED"), headers, 401, "digest does not match")


def test_unsigned_post_is_refused(pair):
    a, b = pair
    body = json.dumps(create_note(bob(b))).encode()
    headers = {"content-type": "application/activity+json"}
    assert_refused(a, body, headers, 401, "not signed")


def test_object_from_another_origin_is_refused(pair):
    """Mastodon CVE-2024-23832: a Create whose object lives on another host than the signer."""
    a, b = pair
    activity = create_note(bob(b), object_base="http://127.0.0.2:9/users/bob")
    activity["id"] = f"{b.base_url}/activities/{uuid.uuid4()}"
    assert_refused(a, *signed_by_bob(a, b, activity), 403, "not on the actor's server")


def test_actor_other_than_the_signer_is_refused(pair):
    a, b = pair
    activity = create_note(f"{b.base_url}/users/mallory")
    assert_refused(a, *signed_by_bob(a, b, activity), 403, "signed by")


def test_remote_actor_claiming_to_be_local_is_refused(pair):
    a, b = pair
    activity = create_note(f"{a.base_url}/users/alice")
    assert_refused(a, *signed_by_bob(a, b, activity), 403, "signed by")


def test_bad_json_and_oversized_bodies_get_clear_errors(pair):
    a, _ = pair
    response = httpx.post(f"{a.base_url}/inbox", content=b"{not json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    big = b"{" + b" " * 1_100_000 + b"}"
    response = httpx.post(f"{a.base_url}/inbox", content=big)
    assert response.status_code == 413
    deep = ("[" * 10_000 + "]" * 10_000).encode()
    response = httpx.post(f"{a.base_url}/inbox", content=deep)
    assert response.status_code == 400


def test_a_request_signed_for_another_server_cannot_be_replayed_here(pair):
    """A peer that received our member's signed delivery must not be able to replay it to us:
    the Host the signature covers has to be this server."""
    a, b = pair
    key_id, pem = b.private_key("bob")
    body = json.dumps(create_note(bob(b))).encode()
    headers = signed("http://other.example/inbox", body, key_id, pem)
    assert headers["host"] == "other.example"
    assert_refused(a, body, headers, 400, "this server is")


def _bob_signature_with(a, b, body: bytes, extra: str, signed_names: str) -> dict[str, str]:
    key_id, _ = b.private_key("bob")
    return {
        "host": a.domain,
        "digest": digest_header(body),
        "content-type": "application/activity+json",
        "signature": f'keyId="{key_id}",algorithm="hs2019",headers="{signed_names}",'
        f'signature="AAAA"{extra}',
    }


def test_odd_signature_parameters_are_401_not_500(pair):
    a, b = pair
    body = json.dumps(create_note(bob(b))).encode()
    no_date = _bob_signature_with(a, b, body, "", "(request-target) host date digest")
    assert_refused(a, body, no_date, 401, "no Date header")
    huge = _bob_signature_with(
        a, b, body, ",created=99999999999999999999", "(request-target) host (created) digest"
    )
    assert_refused(a, body, huge, 401, "not a usable timestamp")
    key_id, _ = b.private_key("bob")
    rfc9421 = {
        "host": a.domain,
        "content-digest": "sha-256=:" + digest_header(body)[8:] + ":",
        "signature-input": 'sig1=("@method" "@target-uri" "content-digest")'
        f';created=999999999999999;keyid="{key_id}"',
        "signature": "sig1=:AAAA:",
    }
    assert_refused(a, body, rfc9421, 401, "not a usable timestamp")


def test_embedded_object_with_odd_types_is_acknowledged_then_discarded(pair):
    """A well-signed activity whose object we cannot read: 202 (the protocol's habit), then
    the worker records it as done without storing anything, and nothing crashes."""
    a, b = pair
    activity = create_note(bob(b))
    activity["object"]["type"] = [{"not": "a string"}]
    body, headers = signed_by_bob(a, b, activity)
    response = httpx.post(f"{a.base_url}/inbox", content=body, headers=headers)
    assert response.status_code == 202
    wait_for(
        lambda: (
            a.query("SELECT state FROM inbound_activities WHERE uri = ?", activity["id"])
            == [("done",)]
        ),
        what="the activity to be processed",
    )
    assert a.query("SELECT count(*) FROM posts WHERE uri = ?", activity["object"]["id"]) == [(0,)]
