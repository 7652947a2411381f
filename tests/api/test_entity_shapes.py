"""Every entity the client API answers with has the fields, types and nullability Mastodon
documents (tests/api/shapes.py), read from a running server: what an app that decodes
strictly (Ice Cubes, Tusky, Elk) would fail on is named here first."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.api import shapes
from tests.api.test_posting_mastodon_py import PASSWORD, sign_in_app, wait_ready
from tests.conftest import artwork

OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture(scope="module")
def world(make_module_instance):
    site = make_module_instance("shapes")
    for name in ("alice", "bea"):
        site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    assert "accepted" in site.cli("follow", "bea", "alice").stdout
    alice, bea = sign_in_app(site, "alice"), sign_in_app(site, "bea")
    return site, alice, bea


def assert_shape(document, shape, what: str) -> None:
    wrong = shapes.check(document, shape)
    assert not wrong, f"{what}: {wrong}"


def test_the_public_and_oauth_entities_have_mastodons_shapes(world):
    site, _, _ = world
    v1 = httpx.get(site.base_url + "/api/v1/instance").json()
    assert_shape(v1, shapes.INSTANCE_V1, "Instance v1")
    v2 = httpx.get(site.base_url + "/api/v2/instance").json()
    assert_shape(v2, shapes.INSTANCE_V2, "Instance v2")
    for rule in v2["rules"]:
        assert_shape(rule, shapes.RULE, "Rule")
    registered = httpx.post(
        site.base_url + "/api/v1/apps", data={"client_name": "Shapes", "redirect_uris": OOB}
    ).json()
    assert_shape(registered, shapes.CREDENTIAL_APPLICATION, "CredentialApplication")
    token = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": registered["client_id"],
            "client_secret": registered["client_secret"],
        },
    ).json()
    assert_shape(token, shapes.TOKEN, "Token")
    app = httpx.get(
        site.base_url + "/api/v1/apps/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    ).json()
    assert_shape(app, shapes.APPLICATION, "Application")
    assert "client_secret" not in app


def test_the_member_entities_have_mastodons_shapes(world):
    """Read as raw JSON (Mastodon.py turns ids, times and lists into its own types)."""
    site, alice, bea = world

    def call(app, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {app.access_token}"}
        response = httpx.request(method, site.base_url + path, headers=headers, **kwargs)
        assert response.status_code in (200, 202), (path, response.text)
        return response.json()

    me = call(alice, "GET", "/api/v1/accounts/verify_credentials")
    assert_shape(me, shapes.CREDENTIAL_ACCOUNT, "CredentialAccount")
    assert_shape(me["source"], shapes.SOURCE, "source")
    assert re.match(shapes.TIME, me["created_at"]) and me["created_at"].endswith("T00:00:00.000Z")
    files = {"file": ("s.jpg", artwork(200, 150, seed=50), "image/jpeg")}
    upload = call(alice, "POST", "/api/v2/media", files=files, data={"description": "a study"})
    assert_shape(upload, shapes.MEDIA, "MediaAttachment (processing)")
    upload = wait_ready(alice, upload)
    status = call(
        alice, "POST", "/api/v1/statuses", data={"status": "A study", "media_ids[]": upload["id"]}
    )
    assert_shape(status, shapes.STATUS, "Status")
    assert re.match(shapes.TIME, status["created_at"])
    assert_shape(status["account"], shapes.ACCOUNT, "Status.account")
    [media] = status["media_attachments"]
    assert_shape(media, shapes.MEDIA, "Status.media_attachments[0]")
    assert media["meta"]["original"]["width"] == 200 and media["meta"]["original"]["aspect"]
    account = call(bea, "GET", f"/api/v1/accounts/{me['id']}")
    assert_shape(account, shapes.ACCOUNT, "Account")
    assert re.match(r"^\d{4}-\d\d-\d\d$", account["last_status_at"])
    call(bea, "POST", f"/api/v1/statuses/{status['id']}/favourite")
    [relationship] = call(bea, "GET", f"/api/v1/accounts/relationships?id[]={me['id']}")
    assert_shape(relationship, shapes.RELATIONSHIP, "Relationship")
    told = call(alice, "GET", "/api/v1/notifications")
    assert {n["type"] for n in told} == {"follow", "favourite"}
    for notification in told:
        assert_shape(notification, shapes.NOTIFICATION, f"Notification {notification['type']}")
        assert_shape(notification["account"], shapes.ACCOUNT, "Notification.account")
    favourite = next(n for n in told if n["type"] == "favourite")
    assert_shape(favourite["status"], shapes.STATUS, "Notification.status")
    # A boost (Mastodon's reblog status), an answer naming someone, and an edit's source.
    boost = call(bea, "POST", f"/api/v1/statuses/{status['id']}/reblog")
    assert_shape(boost, shapes.STATUS, "Status (reblog)")
    assert_shape(boost["reblog"], shapes.STATUS, "Status.reblog")
    assert boost["reblog"]["id"] == status["id"] and boost["id"] != status["id"]
    answer = call(
        bea,
        "POST",
        "/api/v1/statuses",
        data={"status": "@alice lovely", "in_reply_to_id": status["id"]},
    )
    assert_shape(answer, shapes.STATUS, "Status (reply)")
    [named] = answer["mentions"]
    assert_shape(named, shapes.MENTION, "Status.mentions[0]")
    assert named["acct"] == "alice" and answer["in_reply_to_account_id"] == me["id"]
    source = call(bea, "GET", f"/api/v1/statuses/{answer['id']}/source")
    assert_shape(source, shapes.STATUS_SOURCE, "StatusSource")
    assert source["text"] == "@alice lovely"


def test_the_shape_check_names_what_is_wrong():
    wrong = shapes.check({"id": 1, "type": "image", "url": None}, shapes.MEDIA)
    assert "id is int, not (<class 'str'>,)" in wrong and "preview_url missing" in wrong
    assert "url missing" not in wrong  # null is allowed for url, and it is there
