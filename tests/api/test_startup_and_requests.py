"""What apps call at start-up answers with the right shape (never a 404), and a member who
approves followers by hand decides a follow request from their app."""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_posting_mastodon_py import PASSWORD, sign_in_app


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("start")
    for name in ("alice", "bea", "cai"):
        instance.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    instance.cli("user", "edit", "alice", "--approve-followers")
    return instance


def test_the_calls_apps_make_at_start_up_answer_with_their_shapes(site):
    alice = sign_in_app(site, "alice")
    headers = {"Authorization": f"Bearer {alice.access_token}"}
    for path in (
        "/api/v1/filters",
        "/api/v2/filters",
        "/api/v1/lists",
        "/api/v1/mutes",
        "/api/v1/blocks",
        "/api/v1/announcements",
        "/api/v1/followed_tags",
        "/api/v1/trends/tags",
        "/api/v1/conversations",
    ):
        response = httpx.get(site.base_url + path, headers=headers)
        assert (response.status_code, response.json()) == (200, []), path
        assert response.headers["access-control-allow-origin"] == "*"
    assert httpx.get(site.base_url + "/api/v1/lists").status_code == 401
    assert alice.preferences()["posting:default:visibility"] == "public"
    assert httpx.get(site.base_url + "/api/v1/markers", headers=headers).json() == {}
    assert alice.trending_tags() == []


def test_a_member_decides_follow_requests_from_an_app(site):
    assert "pending" in site.cli("follow", "bea", "alice").stdout
    assert "pending" in site.cli("follow", "cai", "alice").stdout
    alice = sign_in_app(site, "alice")
    waiting = alice.follow_requests()
    assert sorted(a["username"] for a in waiting) == ["bea", "cai"]
    bea = next(a for a in waiting if a["username"] == "bea")
    cai = next(a for a in waiting if a["username"] == "cai")
    accepted = alice.follow_request_authorize(bea["id"])
    assert accepted["followed_by"] is True and accepted["requested_by"] is False
    rejected = alice.follow_request_reject(cai["id"])
    assert rejected["followed_by"] is False and rejected["requested_by"] is False
    assert alice.follow_requests() == []
    assert site.query(
        "SELECT a.username, f.state FROM follows f JOIN actors a ON a.id = f.follower_id"
    ) == [("bea", "accepted")]
    me = alice.account_verify_credentials()
    assert me["locked"] is True and me["followers_count"] == 1
