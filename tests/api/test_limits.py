"""The client API's limits trip where they say: app registrations per address (30 in 5
minutes) and uploads per member (30 in 30 minutes, Mastodon's), each with a 429, a
Retry-After and Mastodon's JSON error, and nothing stored for the refused request."""

from __future__ import annotations

import httpx

from tests.api.test_posting_mastodon_py import PASSWORD, sign_in_app
from tests.conftest import artwork

OOB = "urn:ietf:wg:oauth:2.0:oob"


def test_the_31st_registration_from_one_address_waits(make_instance):
    site = make_instance("limits")
    for number in range(30):
        made = httpx.post(
            site.base_url + "/api/v1/apps",
            data={"client_name": f"app {number}", "redirect_uris": OOB},
        )
        assert made.status_code == 200, (number, made.text)
    refused = httpx.post(
        site.base_url + "/api/v1/apps", data={"client_name": "one too many", "redirect_uris": OOB}
    )
    assert refused.status_code == 429 and refused.json() == {"error": "Too many requests"}
    assert int(refused.headers["retry-after"]) > 0
    assert site.query("SELECT count(*) FROM oauth_apps") == [(30,)]


def test_the_31st_upload_of_a_member_waits(make_instance):
    site = make_instance("uploads")
    site.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    alice = sign_in_app(site, "alice")
    headers = {"Authorization": f"Bearer {alice.access_token}"}
    image = artwork(64, 48, seed=80)
    for number in range(30):
        made = httpx.post(
            site.base_url + "/api/v2/media",
            headers=headers,
            files={"file": ("w.jpg", image, "image/jpeg")},
        )
        assert made.status_code == 202, (number, made.text)
    refused = httpx.post(
        site.base_url + "/api/v2/media",
        headers=headers,
        files={"file": ("w.jpg", image, "image/jpeg")},
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert site.query("SELECT count(*) FROM api_uploads") == [(30,)]


def test_the_31st_token_request_from_one_address_waits(make_instance):
    """Token requests count whether or not they succeed, so guessing secrets is slowed too;
    the refused request issues nothing, even with the right credentials."""
    site = make_instance("tokens")
    app = httpx.post(
        site.base_url + "/api/v1/apps", data={"client_name": "app", "redirect_uris": OOB}
    ).json()
    for number in range(30):
        guessed = httpx.post(
            site.base_url + "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": f"guess {number}",
            },
        )
        assert guessed.status_code == 401, (number, guessed.text)
    refused = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert site.query("SELECT count(*) FROM oauth_tokens") == [(0,)]


def test_the_301st_status_of_a_member_in_three_hours_waits(make_instance):
    """Mastodon's 300 statuses per 3 hours, counted per member for every attempt."""
    site = make_instance("statuses")
    site.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    alice = sign_in_app(site, "alice")
    headers = {"Authorization": f"Bearer {alice.access_token}"}
    with httpx.Client(base_url=site.base_url, headers=headers) as client:
        for number in range(300):
            empty = client.post("/api/v1/statuses", data={"status": ""})
            assert empty.status_code == 422, (number, empty.text)
        refused = client.post("/api/v1/statuses", data={"status": "one too many"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json() == {"error": "Too many requests"}
    assert site.query("SELECT count(*) FROM posts") == [(0,)]
