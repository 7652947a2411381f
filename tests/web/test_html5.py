"""Every page a running instance serves is valid HTML5, by the W3C's Nu Html Checker: the
public pages, a post with images and a content warning, the feed (an image by its thumbnail
with a link to the full size), and the pages of signing in."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import artwork
from tests.web.html5 import assert_valid_html

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    instance = make_module_instance("pages")
    instance.cli(
        "user",
        "add",
        "alice",
        "--display-name",
        "Alice <Liddell> & Co",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    instance.cli("user", "add", "bob")
    pictures = tmp_path_factory.mktemp("pictures")
    (pictures / "one.jpg").write_bytes(artwork(800, 600, seed=3))  # the feed shows a thumbnail
    (pictures / "two.png").write_bytes(artwork(200, 300, seed=5, fmt="PNG"))
    post = instance.cli(
        "post",
        "alice",
        "--image",
        str(pictures / "one.jpg"),
        "--alt",
        'a "quoted" <alt> text',
        "--image",
        str(pictures / "two.png"),
        "--alt",
        "green & blue stripes",
        "--text",
        "First <b>work</b> & a link https://example.com/x #tag",
        "--summary",
        "flashing colours",
    )
    return instance, post.stdout.strip().splitlines()[0]


def html(client: httpx.Client, path: str, status: int = 200, **kwargs) -> str:
    response = client.request(kwargs.pop("method", "GET"), path, **kwargs)
    assert response.status_code == status, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), path
    return response.text


def test_every_page_is_valid_html5(site):
    instance, post_url = site
    post_path = httpx.URL(post_url).path
    pages: dict[str, str] = {}
    with httpx.Client(base_url=instance.base_url) as visitor:
        for path in ("/", "/@alice", "/@bob", post_path):
            pages[path] = html(visitor, path)
        pages["/password/forgot (no mail)"] = html(visitor, "/password/forgot")
    assert "<img" in pages[post_path] and "flashing colours" in pages[post_path]
    assert pages["/@alice"].count("<img") == 1  # one tile per work, by its cover

    with httpx.Client(base_url=instance.base_url) as member:
        form = html(member, "/login")
        pages["/login"] = form
        [token] = re.findall(r'name="csrf" value="([^"]+)"', form)
        login = {"csrf": token, "username": "alice"}
        pages["/login (wrong password)"] = html(
            member, "/login", 401, method="POST", data={**login, "password": "nope"}
        )
        pages["/login (from another site)"] = html(
            member,
            "/login",
            403,
            method="POST",
            data={**login, "password": PASSWORD},
            headers={"Origin": "https://elsewhere.example"},
        )
        signed_in = member.post("/login", data={**login, "password": PASSWORD})
        assert signed_in.status_code == 303
        pages["/home"] = html(member, "/home")
    assert "Signed in as" in pages["/home"] and ">Full size</a>" in pages["/home"]
    assert_valid_html(pages)


def test_the_checker_names_each_invalid_page_and_its_errors():
    head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    with pytest.raises(AssertionError) as failure:
        assert_valid_html(
            {
                "fine": head + "<body><p>ok</p></body></html>",
                "no alt": head + '<body><img src="x.png"></body></html>',
                "no title": '<!doctype html><html lang="en"><head></head><body></body></html>',
            }
        )
    report = str(failure.value)
    assert report.startswith("2 of 3 pages are not valid HTML5:\n"), report
    assert "fine" not in report
    assert re.search(
        r"  no alt:\n    line 1: An .img. element must have an .alt. attribute", report
    )
    assert re.search(
        r"  no title:\n    line 1: Element .head. is missing a required .*title", report
    )


def test_every_page_of_a_signed_in_artist_is_valid_html5(site, make_instance):
    """The studio and account pages, with content in them: a work in an album, pinned, a
    refused upload, the feed, and the sign-up form of an instance that takes sign-ups."""
    from tests.web_client import signed_in, submit

    instance, post_url = site
    post_id = post_url.rsplit("/", 1)[1]
    alice = signed_in(instance, "alice", PASSWORD)
    album = submit(alice, "/albums", "/albums", data={"title": "Sketches & <notes>"})
    album_path = album.headers["location"]
    album_id = album_path.rsplit("/", 1)[1]
    edit = f"/works/{post_id}/edit"
    edited = submit(
        alice,
        edit,
        edit,
        data={
            "title": "First",
            "tags": "tag",
            "content_warning": "flashing colours",
            "alt1": 'a "quoted" <alt> text',
            "alt2": "green & blue stripes",
            "albums": album_id,
        },
    )
    assert edited.status_code == 303
    assert submit(alice, edit, f"/works/{post_id}/pin", data={"pinned": "1"}).status_code == 303
    refused = submit(alice, "/upload", "/upload", data={"title": "No image", "alt1": "x"})
    assert refused.status_code == 400
    pages = {"/upload (refused)": refused.text}
    for path in (
        "/upload",
        edit,
        "/albums",
        album_path,
        f"/@alice/albums/{album_id}",
        "/@alice",
        "/@bob",
        post_url.replace(instance.base_url, ""),
        "/settings/profile",
        "/settings/account",
        "/settings/delete",
        "/settings/two-factor",
        "/settings/export",
        "/follow-requests",
        "/tags/tag",
        "/home",
    ):
        pages[path] = html(alice, path)
    assert 'action="/@bob/follow"' in pages["/@bob"]  # a member's Follow button
    assert submit(alice, "/@bob", "/@bob/follow").status_code == 303
    pages["/following"] = html(alice, "/following")
    assert "@bob@" in pages["/following"] and "Unfollow" in pages["/following"]
    assert "Pinned" in pages["/@alice"] and "Sketches" in pages[f"/@alice/albums/{album_id}"]
    assert "First" in pages["/tags/tag"] and "First" not in html(alice, "/tags/other")
    pages.update(oauth_pages(instance, alice))
    pages.update(safety_pages(instance, alice))
    open_site = make_instance("signups", instance_config='registrations = "approval"')
    with httpx.Client(base_url=open_site.base_url) as visitor:
        pages["/signup"] = html(visitor, "/signup")
    pages.update(admin_pages(open_site))
    assert_valid_html(pages)


def oauth_pages(site, member: httpx.Client) -> dict[str, str]:
    """The client API's consent page (an app whose name needs escaping), the code page and
    the member's authorised apps, empty and with the app."""
    from tests.web_client import submit

    oob = "urn:ietf:wg:oauth:2.0:oob"
    pages = {"/settings/apps (none)": html(member, "/settings/apps")}
    app = httpx.post(
        site.base_url + "/api/v1/apps",
        data={
            "client_name": 'Sketch <&> "app"',
            "redirect_uris": oob,
            "website": "https://app.example/?a=1&b=2",
        },
    ).json()
    consent = (
        f"/oauth/authorize?client_id={app['client_id']}&redirect_uri={oob}"
        "&response_type=code&state=a%22b%3C"
    )
    pages["/oauth/authorize"] = html(member, consent)
    fields = {
        "client_id": app["client_id"],
        "redirect_uri": oob,
        "response_type": "code",
        "scope": "read",
        "state": 'a"b<',
        "decision": "allow",
    }
    code = submit(member, consent, "/oauth/authorize", data=fields)
    assert code.status_code == 200 and "Copy this code" in code.text
    pages["/oauth/authorize (code)"] = code.text
    [given] = re.findall(r'id="code" class="code" value="([^"]+)"', code.text)
    token = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": given,
            "redirect_uri": oob,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    pages["/settings/apps"] = html(member, "/settings/apps")
    assert "Sketch &lt;&amp;&gt;" in pages["/settings/apps"]
    return pages


def safety_pages(site, member: httpx.Client) -> dict[str, str]:
    """Blocks and mutes, empty and with a mute, a refusal, the report page, notifications,
    and the move page, before and after an import with a row refused."""
    from tests.web_client import form_token, submit

    pages = {"/settings/safety (none)": html(member, "/settings/safety")}
    mute = {"account": "bob", "action": "mute"}
    assert submit(member, "/settings/safety", "/settings/safety", data=mute).status_code == 303
    pages["/settings/safety"] = html(member, "/settings/safety?done=muted")
    assert "<li>@bob@" in pages["/settings/safety"] and "Muted." in pages["/settings/safety"]
    refused = submit(member, "/settings/safety", "/settings/safety", data={"action": "x"})
    pages["/settings/safety (refused)"] = refused.text
    pages["/report"] = html(member, f"/report?account={site.base_url}/users/bob")
    pages["/notifications"] = html(member, "/notifications")
    pages["/settings/move"] = html(member, "/settings/move")
    imported = member.post(
        "/settings/import",
        data={"csrf": form_token(pages["/settings/move"], "/settings/import"), "kind": "mutes"},
        files={"file": ("m.csv", b"Account address,Hide notifications\nbob,true\nnobody,true\n")},
    )
    assert imported.status_code == 200 and "not imported" in imported.text
    pages["/settings/import (one row refused)"] = imported.text
    return pages


def admin_pages(site) -> dict[str, str]:
    """An admin's sign-ups page: empty, with one waiting (its reason on several lines), a
    refused decision, and the notice after approving."""
    from tests.web_client import sign_up, signed_in, submit

    site.cli("user", "add", "ada", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    ada = signed_in(site, "ada", PASSWORD)
    pages = {"/admin/signups (empty)": html(ada, "/admin/signups")}
    assert "No sign-ups are waiting." in pages["/admin/signups (empty)"]
    reason = "Portfolio: https://neo.example\n<b>ink</b> & watercolour"
    assert sign_up(site, "neo", reason).status_code == 200
    pages["/admin/signups"] = html(ada, "/admin/signups")
    assert "Sign-ups (1 waiting)" in pages["/admin/signups"]
    unconfirmed = submit(ada, "/admin/signups", "/admin/signups/neo/reject")
    assert unconfirmed.status_code == 400
    pages["/admin/signups (reject unconfirmed)"] = unconfirmed.text
    approved = submit(ada, "/admin/signups", "/admin/signups/neo/approve")
    pages["/admin/signups (approved)"] = html(ada, approved.headers["location"])
    assert "Approved neo" in pages["/admin/signups (approved)"]
    pages["/admin/reports (empty)"] = html(ada, "/admin/reports")
    site.cli("report", "file", "neo", "ada", "--comment", "<b>rude</b> & loud")
    pages["/admin/reports"] = html(ada, "/admin/reports")
    assert "&lt;b&gt;rude&lt;/b&gt; &amp; loud" in pages["/admin/reports"]
    resolved = submit(ada, "/admin/reports", "/admin/reports/1/resolve", data={"note": "ok"})
    pages["/admin/reports (resolved)"] = html(ada, resolved.headers["location"])
    suspended = submit(ada, "/admin/accounts", "/admin/accounts/neo/suspend")
    pages["/admin/accounts (neo suspended)"] = html(ada, suspended.headers["location"])
    assert "@neo is suspended" in pages["/admin/accounts (neo suspended)"]
    return pages
