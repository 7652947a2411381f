"""Deleting an account (issue 26) between two running instances: the member deletes theirs on
the web (password, and the second factor when it is on, asked again), or an admin from the
CLI; their works, images (the private originals too), sessions and follows go; the actor,
WebFinger and pages answer 410 and the name is never given out again; a report about them is
kept; and the follower's server receives the signed Delete and drops their works."""

from __future__ import annotations

import time

import httpx
import pyotp
import pytest

from tests.conftest import artwork
from tests.e2e.test_two_factor import turn_on
from tests.instances import wait_for
from tests.web_client import PASSWORD, form_token, signed_in

AS = {"Accept": "application/activity+json"}


@pytest.fixture(scope="module")
def two(make_module_instance):
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in ((a, ("ana", "ben", "cleo")), (b, ("bob",))):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return a, b


def post_work(site, name: str, tmp_path, text: str) -> str:
    picture = tmp_path / f"{text[:8]}.png"
    picture.write_bytes(artwork(200, 150, seed=len(text), fmt="PNG"))
    out = site.cli("post", name, "--image", str(picture), "--alt", "a study", "--text", text)
    return out.stdout.strip().splitlines()[-1].split()[-1]


def files_of(site, name: str) -> set[str]:
    rows = site.query(
        "SELECT m.file_name, m.thumb_file, m.original_file FROM media_attachments m "
        "JOIN posts p ON p.id = m.post_id JOIN actors a ON a.id = p.author_id "
        "WHERE a.username = ? AND a.local = 1",
        name,
    )
    return {f for row in rows for f in row if f}


def delete_on_web(client: httpx.Client, **data) -> httpx.Response:
    page = client.get("/settings/delete").text
    return client.post("/settings/delete",
                       data={"csrf": form_token(page, "/settings/delete"), **data})  # fmt: skip


def test_a_member_deletes_their_account_and_the_follower_server_forgets_it(two, tmp_path):
    a, b = two
    assert "accepted" in b.cli("follow", "bob", f"ana@{a.domain}").stdout
    works = [post_work(a, "ana", tmp_path, t) for t in ("harbour at dusk", "a second study")]
    files = files_of(a, "ana")
    assert len(files) == 6 and all(a.has_media(f) for f in files)  # renditions, thumbs, originals
    wait_for(lambda: len(b.query("SELECT id FROM posts WHERE uri LIKE ?", f"{a.base_url}/%")) == 2,
             what="ana's works on B")  # fmt: skip
    b.cli("report", "file", "bob", f"ana@{a.domain}", "--comment", "kept after deletion")
    a.cli("report", "file", "ben", "ana", "--comment", "a report here")
    browser, other = signed_in(a, "ana"), signed_in(a, "ana")

    assert delete_on_web(browser, password="wrong", confirm="yes").status_code == 400
    unticked = delete_on_web(browser, password=PASSWORD)
    assert unticked.status_code == 400 and "tick the box" in unticked.text
    assert a.query("SELECT deleted_at FROM actors WHERE username = 'ana'") == [(None,)]
    done = delete_on_web(browser, password=PASSWORD, confirm="yes")
    assert done.status_code == 200 and "@ana is deleted" in done.text

    # Here: gone, 410 where it was, the name taken for good, nobody signed in as it.
    uri = f"{a.base_url}/users/ana"
    assert httpx.get(uri, headers=AS).status_code == 410
    assert httpx.get(f"{a.base_url}/@ana").status_code == 410
    finger = {"resource": f"acct:ana@{a.domain}"}
    assert httpx.get(f"{a.base_url}/.well-known/webfinger", params=finger).status_code == 410
    assert all(httpx.get(work).status_code in (404, 410) for work in works)
    assert a.query("SELECT count(*) FROM posts p JOIN actors x ON x.id = p.author_id "
                   "WHERE x.username = 'ana'") == [(0,)]  # fmt: skip
    assert not any(a.has_media(f) for f in files)
    assert other.get("/home").status_code == 303  # every session of hers ended
    again = a.cli("user", "add", "ana", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    with httpx.Client(base_url=a.base_url) as client:
        page = client.get("/login").text
        data = {"csrf": form_token(page, "/login"), "username": "ana", "password": PASSWORD}
        assert client.post("/login", data=data).status_code == 401
    [(display, summary, password)] = a.query(
        "SELECT display_name, summary, password_hash FROM actors WHERE username = 'ana'"
    )
    assert (display, summary, password) == ("", "", None)
    assert a.query("SELECT comment FROM reports") == [("a report here",)]

    # There: the signed Delete came, and ana, her works and bob's follow of her are gone.
    [(body_type,)] = a.query("SELECT kind FROM outbound_activities WHERE uri = ?", f"{uri}#delete")
    assert body_type == "Delete"
    wait_for(lambda: b.query("SELECT count(*) FROM actors WHERE uri = ?", uri) == [(0,)],
             timeout=30, what="B to forget ana")  # fmt: skip
    assert b.query("SELECT count(*) FROM posts WHERE uri LIKE ?", f"{a.base_url}/%") == [(0,)]
    assert b.query("SELECT count(*) FROM follows") == [(0,)]
    assert a.query("SELECT state FROM deliveries d JOIN outbound_activities o ON o.id = "
                   "d.activity_id WHERE o.kind = 'Delete'") == [("done",)]  # fmt: skip


def test_the_second_factor_is_asked_again_and_admins_delete_from_the_cli(two):
    a, _ = two
    member = signed_in(a, "cleo")
    secret, _, _ = turn_on(member)
    no_code = delete_on_web(member, password=PASSWORD, confirm="yes")
    assert no_code.status_code == 400 and "that code is wrong" in no_code.text
    done = delete_on_web(member, password=PASSWORD, confirm="yes",
                         code=pyotp.TOTP(secret).at(time.time() + 30))  # fmt: skip
    assert done.status_code == 200
    assert a.query("SELECT count(*) FROM two_factors") == [(0,)]

    refused = a.cli("user", "delete", "ben", check=False)
    assert refused.returncode == 1 and "add --yes" in refused.stderr
    out = a.cli("user", "delete", "ben", "--yes").stdout
    assert out.startswith("deleted @ben: 0 work(s), 0 file(s); a Delete goes to")
    gone = a.cli("user", "delete", "ben", "--yes", check=False)
    assert gone.returncode == 1 and "deleted already" in gone.stderr
    assert "ben" not in a.cli("user", "list").stdout
