"""Signing in to the web pages of a running instance over real HTTP: sessions behind secure
cookies, CSRF tokens on every form, cross-site POSTs refused, failed sign-ins rate limited,
and pages that forbid third-party requests."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web_client import form_token

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("site")
    instance.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    instance.cli("user", "add", "bea", "--password-stdin", stdin=PASSWORD + "\n")
    return instance


def csrf_of(page: str) -> str:
    [token] = re.findall(r'name="csrf" value="([^"]+)"', page)
    return token


def open_form(site) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=site.base_url)
    form = client.get("/login")
    assert form.status_code == 200
    return client, csrf_of(form.text)


def sign_in(site, name: str = "alice", password: str = PASSWORD, **headers) -> httpx.Response:
    client, token = open_form(site)
    response = client.post(
        "/login", data={"csrf": token, "username": name, "password": password}, headers=headers
    )
    response.client = client  # type: ignore[attr-defined]
    return response


def sessions(site) -> int:
    return site.query("SELECT count(*) FROM web_sessions")[0][0]


def test_signing_in_sets_a_secure_session_cookie_and_shows_who_is_signed_in(site):
    response = sign_in(site, "bea")
    assert response.status_code == 303 and response.headers["location"] == "/home"
    cookie = response.headers["set-cookie"]
    assert "cara_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = response.client.get("/home")
    assert home.status_code == 200 and "Signed in as bea" in home.text
    assert "/@bea" in home.text


def test_a_wrong_password_or_unknown_name_gets_the_same_answer_and_no_session(site):
    before = sessions(site)
    for name, password in (("alice", "not the password"), ("nobody", PASSWORD)):
        response = sign_in(site, name, password)
        assert response.status_code == 401
        assert "wrong name or password" in response.text
        assert "cara_session" not in response.headers.get("set-cookie", "")
    assert sessions(site) == before


def test_a_sign_in_without_the_forms_token_is_refused(site):
    client = httpx.Client(base_url=site.base_url)
    client.get("/login")
    before = sessions(site)
    for token in ("", "forged"):
        response = client.post(
            "/login", data={"csrf": token, "username": "alice", "password": PASSWORD}
        )
        assert response.status_code == 403 and "did not come from this site" in response.text
    assert sessions(site) == before


def test_a_cross_site_post_is_refused_even_with_valid_tokens(site):
    before = sessions(site)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = sign_in(site, **headers)
        assert response.status_code == 403 and "another site" in response.text
    assert sessions(site) == before
    signed_in = sign_in(site).client
    token = form_token(signed_in.get("/home").text, "/logout")
    out = signed_in.post(
        "/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"}
    )
    assert out.status_code == 403
    assert signed_in.get("/home").status_code == 200  # still signed in


def test_signing_out_needs_the_sessions_token_and_ends_the_session(site):
    client = sign_in(site).client
    cookie = client.cookies["cara_session"]
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/home").status_code == 200
    token = form_token(client.get("/home").text, "/logout")
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    replay = httpx.get(f"{site.base_url}/home", cookies={"cara_session": cookie})
    assert replay.status_code == 303 and replay.headers["location"] == "/login?next=/home"


def test_failed_sign_ins_are_rate_limited_per_account(site):
    site.cli("user", "add", "carl", "--password-stdin", stdin=PASSWORD + "\n")
    for _ in range(5):
        assert sign_in(site, "carl", "guess").status_code == 401
    blocked = sign_in(site, "carl", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "too many failed sign-ins" in blocked.text


def test_pages_forbid_third_party_requests_and_framing(site):
    for path in ("/", "/login", "/@alice"):
        response = httpx.get(f"{site.base_url}{path}")
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "form-action 'self'" in policy
        links = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]*)"', response.text)
        assert all(link.startswith(site.base_url) for link in links), (path, links)
    [sheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)">', response.text)
    css = httpx.get(f"{site.base_url}{sheet}")
    assert css.status_code == 200 and "font-family" in css.text and "--accent:" in css.text
    assert "url(" not in css.text and "@import" not in css.text  # nothing from elsewhere
