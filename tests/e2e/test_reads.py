"""Reads as peers and browsers make them: discovery documents, content negotiation, authorized
fetch, and an RFC 9421-signed inbox POST (Mastodon ≥ 4.5 retries with one)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import httpx
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

from tests.conftest import artwork
from tests.e2e.crafted import create_note, signed_get
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}
LD = {"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'}


@pytest.fixture(scope="module")
def guarded_pair(make_module_instance, tmp_path_factory):
    """B runs with authorized fetch; bob on B has one post; alice on A follows bob."""
    a = make_module_instance("a")
    b = make_module_instance("b", extra_federation="authorized_fetch = true")
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    picture = tmp_path_factory.mktemp("pics") / "w.jpg"
    picture.write_bytes(artwork(64, 48))
    url = b.cli("post", "bob", "--image", str(picture), "--alt", "a work").stdout.strip()
    [(uri,)] = b.query("SELECT uri FROM posts WHERE url = ?", url)
    return a, b, uri


def test_nodeinfo_and_host_meta(guarded_pair):
    a, _, _ = guarded_pair
    links = httpx.get(f"{a.base_url}/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    info = httpx.get(links[0]["href"]).json()
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "cara-fed"
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["users"]["total"] == 1
    xrd = ET.fromstring(httpx.get(f"{a.base_url}/.well-known/host-meta").text)
    link = xrd.find("{http://docs.oasis-open.org/ns/xri/xrd-1.0}Link")
    assert link.get("template") == f"{a.base_url}/.well-known/webfinger?resource={{uri}}"


def test_webfinger_errors_are_clear(guarded_pair):
    a, _, _ = guarded_pair
    assert httpx.get(f"{a.base_url}/.well-known/webfinger").status_code == 400
    missing = httpx.get(
        f"{a.base_url}/.well-known/webfinger", params={"resource": f"acct:nobody@{a.domain}"}
    )
    assert missing.status_code == 404 and "nobody" in missing.json()["error"]
    other = httpx.get(
        f"{a.base_url}/.well-known/webfinger", params={"resource": "acct:alice@elsewhere.example"}
    )
    assert other.status_code == 404


def test_content_negotiation(guarded_pair):
    a, _, _ = guarded_pair
    for accept in (AS, LD):
        response = httpx.get(f"{a.base_url}/users/alice", headers=accept)
        assert response.headers["content-type"].startswith("application/activity+json")
        assert response.json()["type"] == "Person"
    page = httpx.get(
        f"{a.base_url}/users/alice", headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert page.headers["content-type"].startswith("text/html")
    assert "alice" in page.text and "noai" in page.text


def test_actor_document_has_what_mastodon_reads(guarded_pair):
    a, _, _ = guarded_pair
    actor = httpx.get(f"{a.base_url}/users/alice", headers=AS).json()
    for field in (
        "id",
        "preferredUsername",
        "name",
        "summary",
        "url",
        "inbox",
        "outbox",
        "followers",
        "following",
        "featured",
        "publicKey",
        "manuallyApprovesFollowers",
        "discoverable",
        "indexable",
        "published",
    ):
        assert field in actor, field
    assert actor["endpoints"]["sharedInbox"] == f"{a.base_url}/inbox"
    assert actor["publicKey"]["owner"] == actor["id"]
    assert "https://w3id.org/security/v1" in actor["@context"]
    assert actor["@context"][2]["toot"] == "http://joinmastodon.org/ns#"
    featured = httpx.get(actor["featured"], headers=AS).json()
    assert featured["type"] == "OrderedCollection" and featured["totalItems"] == 0


def test_authorized_fetch_requires_a_signature_for_posts_and_collections(guarded_pair):
    a, b, uri = guarded_pair
    assert httpx.get(uri, headers=AS).status_code == 401
    assert httpx.get(f"{b.base_url}/users/bob/outbox", headers=AS).status_code == 401
    assert httpx.get(f"{b.base_url}/users/bob/followers?page=1", headers=AS).status_code == 401
    ok = signed_get(uri, a, "alice")
    assert ok.status_code == 200 and ok.json()["id"] == uri
    assert signed_get(f"{b.base_url}/users/bob/outbox?page=1", a, "alice").status_code == 200
    # Keys stay reachable unsigned, or nobody could verify bob.
    assert httpx.get(f"{b.base_url}/users/bob", headers=AS).status_code == 200


def test_rfc9421_signed_inbox_post_is_accepted(guarded_pair):
    a, b, _ = guarded_pair
    key_id, pem = b.private_key("bob")
    bob = f"{b.base_url}/users/bob"
    activity = create_note(bob, content="rfc9421")
    note_id = activity["object"]["id"]
    body = json.dumps(activity).encode()
    request = httpx.Request(
        "POST",
        f"{a.base_url}/inbox",
        content=body,
        headers={"Content-Type": "application/activity+json"},
    )
    signer = HTTPMessageSigner(
        signature_algorithm=algorithms.RSA_V1_5_SHA256,
        key_resolver=MappingKeyResolver(
            public_keys={}, private_keys={key_id: load_pem_private_key(pem.encode(), None)}
        ),
    )
    signer.sign(
        request,
        key_id=key_id,
        label="sig1",
        created=datetime.now(UTC),
        covered_component_ids=("@method", "@target-uri", "content-digest"),
        body=body,
    )
    with httpx.Client() as client:
        response = client.send(request)
    assert response.status_code == 202, response.text
    wait_for(lambda: a.query("SELECT 1 FROM posts WHERE uri = ?", note_id), what="the post")

    # The same request with a changed body fails on the Content-Digest.
    tampered = httpx.Request(
        "POST",
        request.url,
        content=body.replace(b"rfc9421", b"forged!"),
        headers=dict(request.headers),
    )
    with httpx.Client() as client:
        assert client.send(tampered).status_code == 401


def test_non_public_activities_are_shown_only_to_their_addressee(guarded_pair):
    a, b, _ = guarded_pair
    [(accept_uri,)] = b.query("SELECT uri FROM outbound_activities WHERE kind = 'Accept' LIMIT 1")
    assert httpx.get(accept_uri, headers=AS).status_code == 401  # authorized fetch is on
    seen = signed_get(accept_uri, a, "alice")
    assert seen.status_code == 200 and seen.json()["type"] == "Accept"
    a.cli("user", "add", "outsider")
    assert signed_get(accept_uri, a, "outsider").status_code == 404


def test_webfinger_with_an_unparseable_resource_is_not_a_crash(guarded_pair):
    a, _, _ = guarded_pair
    response = httpx.get(f"{a.base_url}/.well-known/webfinger", params={"resource": "http://[::1"})
    assert response.status_code == 404
