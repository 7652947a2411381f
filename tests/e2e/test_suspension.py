"""Suspending a local account (issue 26) between two running instances, as Mastodon does it:
an admin suspends from the web, the member is signed out and cannot sign in or post, their
pages answer 403 and their images are not served, their actor is served marked suspended
without its profile, and the follower's server gets an Update saying so; unsuspending (from
the CLI) brings everything back, and tells the follower's server again."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import artwork
from tests.instances import wait_for
from tests.web_client import PASSWORD, form_token, signed_in

AS = {"Accept": "application/activity+json"}


@pytest.fixture(scope="module")
def two(make_module_instance):
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in ((a, ("ana", "adm")), (b, ("bob",))):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    a.cli("user", "admin", "adm")
    a.cli("user", "edit", "ana", "--display-name", "Ana Painter", "--bio", "oil and ink")
    return a, b


def updates_to(site, other) -> list[dict]:
    rows = site.query(
        "SELECT o.body FROM outbound_activities o JOIN deliveries d ON d.activity_id = o.id "
        "WHERE o.kind = 'Update' AND d.inbox LIKE ? AND d.state = 'done' ORDER BY o.id",
        f"{other.base_url}/%",
    )
    return [json.loads(body) for (body,) in rows]


def can_sign_in(site, name: str) -> int:
    with httpx.Client(base_url=site.base_url) as client:
        page = client.get("/login").text
        data = {"csrf": form_token(page, "/login"), "username": name, "password": PASSWORD}
        return client.post("/login", data=data).status_code


def test_an_admin_suspends_a_member_and_lifts_it(two, tmp_path):
    a, b = two
    assert "accepted" in b.cli("follow", "bob", f"ana@{a.domain}").stdout
    picture = tmp_path / "work.png"
    picture.write_bytes(artwork(200, 150, seed=3, fmt="PNG"))
    a.cli("post", "ana", "--image", str(picture), "--alt", "a study", "--text", "a work")
    [(image,)] = a.query("SELECT m.file_name FROM media_attachments m")
    image_url = f"{a.base_url}/media/{image}"
    assert httpx.get(image_url).status_code == 200
    ana_browser = signed_in(a, "ana")
    before = len(updates_to(a, b))

    admin = signed_in(a, "adm")
    page = admin.get("/admin/accounts").text
    assert 'aria-label="Suspend @ana"' in page and 'aria-label="Suspend @adm"' not in page
    token = form_token(page, "/admin/accounts/ana/suspend")
    done = admin.post("/admin/accounts/ana/suspend", data={"csrf": token})
    assert done.status_code == 303
    assert "@ana is suspended" in admin.get(done.headers["location"]).text

    assert ana_browser.get("/home").status_code == 303  # signed out
    assert can_sign_in(a, "ana") == 403
    assert httpx.get(f"{a.base_url}/@ana").status_code == 403
    assert httpx.get(image_url).status_code == 404
    actor = httpx.get(f"{a.base_url}/users/ana", headers=AS).json()
    assert actor["suspended"] is True and actor["name"] == "ana" and actor["summary"] == ""
    assert "publicKey" in actor  # peers can still check what it signed
    refused = a.cli("post", "ana", "--image", str(picture), "--alt", "x", check=False)
    assert refused.returncode == 1 and "is suspended" in refused.stderr
    again = a.cli("user", "suspend", "ana", check=False)
    assert again.returncode == 1 and "suspended already" in again.stderr
    wait_for(lambda: len(updates_to(a, b)) == before + 1, what="the Update to B")
    assert updates_to(a, b)[-1]["object"]["suspended"] is True

    out = a.cli("user", "unsuspend", "ana").stdout.strip()
    assert out == "@ana is no longer suspended; their followers' servers are told"
    assert httpx.get(f"{a.base_url}/@ana").status_code == 200
    assert httpx.get(image_url).status_code == 200
    assert can_sign_in(a, "ana") == 303
    actor = httpx.get(f"{a.base_url}/users/ana", headers=AS).json()
    assert "suspended" not in actor and actor["name"] == "Ana Painter"
    wait_for(lambda: len(updates_to(a, b)) == before + 2, what="the second Update to B")
    assert "suspended" not in updates_to(a, b)[-1]["object"]


def test_only_admins_suspend_and_not_themselves(two):
    a, _ = two
    member = signed_in(a, "ana")
    page = member.get("/home").text
    refused = member.post("/admin/accounts/adm/suspend",
                          data={"csrf": form_token(page, "/logout")})  # fmt: skip
    assert refused.status_code == 403
    admin = signed_in(a, "adm")
    token = form_token(admin.get("/admin/accounts").text, "/logout")
    self_suspend = admin.post("/admin/accounts/adm/suspend", data={"csrf": token})
    assert self_suspend.status_code == 400 and "cannot suspend yourself" in self_suspend.text
    assert a.query("SELECT suspended_at FROM actors WHERE username = 'adm'") == [(None,)]
