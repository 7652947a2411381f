"""Two-factor sign-in (issue 26) against a running instance, with codes from pyotp as an
authenticator app makes them: set-up with the QR code's secret, sign-in and OAuth consent
asking for a code, a code and a recovery code each working once, wrong codes limited,
admins made to turn it on where the instance requires it, and the CLI's way back in."""

from __future__ import annotations

import re
import time

import httpx
import pyotp
import pytest
from mastodon import Mastodon

from tests.api.test_posting_mastodon_py import SCOPES
from tests.web.html5 import assert_valid_html
from tests.web_client import PASSWORD, form_token, signed_in

PAGE = "/settings/two-factor"


@pytest.fixture(scope="module")
def site(make_module_instance):
    site = make_module_instance("twofactor", instance_config="require_two_factor_for_admins = true")
    for name in ("alice", "bob", "carol", "dan", "erin"):
        site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    site.cli("user", "admin", "dan")
    return site


def client_from(site, address: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=site.base_url, transport=transport, timeout=30)


def post(client: httpx.Client, action: str, page: str | None = None, **data) -> httpx.Response:
    page = page or client.get(PAGE).text
    return client.post(PAGE, data={"csrf": form_token(page, PAGE), "action": action, **data})


def next_code(secret: str) -> str:
    """The app's code of the next 30-second step: newer than any the server has seen (each
    code works once), and within the one step of drift it allows."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def turn_on(client: httpx.Client) -> tuple[str, list[str], dict[str, str]]:
    """Set-up as a member does it; returns (the secret, the recovery codes, pages seen)."""
    assert post(client, "begin").status_code == 303
    pending = client.get(PAGE).text
    [secret] = re.findall(r'<code class="secret">([A-Z2-7]+)</code>', pending)
    assert 'src="data:image/svg+xml' in pending
    done = post(client, "confirm", pending, code=pyotp.TOTP(secret).now(), password=PASSWORD)
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.text)
    return secret, codes, {"pending": pending, "codes shown": done.text}


def password_step(client: httpx.Client, name: str, next_path: str = "/home") -> httpx.Response:
    page = client.get("/login").text
    data = {"csrf": form_token(page, "/login"), "username": name, "password": PASSWORD,
            "next": next_path}  # fmt: skip
    return client.post("/login", data=data)


def code_step(client: httpx.Client, code: str) -> httpx.Response:
    page = client.get("/login/two-factor")
    assert page.status_code == 200, page.status_code
    token = form_token(page.text, "/login/two-factor")
    return client.post("/login/two-factor", data={"csrf": token, "code": code})


def test_sign_in_asks_for_a_code_once_it_is_on_and_each_code_works_once(site):
    member = signed_in(site, "alice")
    assert "Off." in member.get(PAGE).text
    post(member, "begin")
    pending = member.get(PAGE).text
    [secret] = re.findall(r'<code class="secret">([A-Z2-7]+)</code>', pending)
    wrong = post(member, "confirm", pending, code="000000", password=PASSWORD)
    assert wrong.status_code == 400 and "current one: check the phone" in wrong.text
    bad_password = post(member, "confirm", pending, code=pyotp.TOTP(secret).now(), password="no")
    assert bad_password.status_code == 400 and "the password is wrong" in bad_password.text
    assert site.query("SELECT enabled_at FROM two_factors") == [(None,)]
    done = post(member, "confirm", pending, code=pyotp.TOTP(secret).now(), password=PASSWORD)
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.text)
    assert len(set(codes)) == 10 and "shown only now" in done.text
    # Kept as digests only.
    [(kept,)] = site.query("SELECT recovery_codes FROM two_factors")
    assert not any(code.replace("-", "") in kept for code in codes)

    browser = httpx.Client(base_url=site.base_url)
    asked = password_step(browser, "alice")
    assert asked.status_code == 303 and asked.headers["location"] == "/login/two-factor"
    assert "cara_session" not in browser.cookies
    assert browser.get("/home").headers["location"].startswith("/login")
    assert code_step(browser, "123456").status_code == 401
    code = next_code(secret)
    signed = code_step(browser, code)
    assert signed.status_code == 303 and signed.headers["location"] == "/home"
    assert browser.get("/home").status_code == 200

    # The same code again, in another browser: refused, it was used.
    again = httpx.Client(base_url=site.base_url)
    password_step(again, "alice")
    replay = code_step(again, code)
    assert replay.status_code == 401 and "used already" in replay.text
    # A recovery code signs in once, typed as the member may type it.
    assert code_step(again, codes[0].upper().replace("-", " ")).status_code == 303
    third = httpx.Client(base_url=site.base_url)
    password_step(third, "alice")
    assert code_step(third, codes[0]).status_code == 401
    assert "9 recovery codes left" in member.get(PAGE).text

    off = post(member, "disable", password=PASSWORD, code=codes[1])
    assert (
        off.status_code == 303
        and "Two-factor sign-in is off." in member.get(off.headers["location"]).text
    )
    plain = httpx.Client(base_url=site.base_url)
    assert password_step(plain, "alice").headers["location"] == "/home"


def test_oauth_consent_asks_for_the_code_first(site):
    member = signed_in(site, "bob")
    secret, _, _ = turn_on(member)
    client_id, client_secret = Mastodon.create_app(
        "Sketchbook", api_base_url=site.base_url, scopes=SCOPES
    )
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=site.base_url)
    authorize = app.auth_request_url(scopes=SCOPES, allow_http=True)
    browser = httpx.Client(base_url=site.base_url)
    to_login = browser.get(authorize)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login?next=")
    target = httpx.URL(to_login.headers["location"]).params["next"]
    assert password_step(browser, "bob", target).headers["location"] == "/login/two-factor"
    back = code_step(browser, next_code(secret))
    assert back.status_code == 303 and back.headers["location"] == target
    consent = browser.get(target)
    assert consent.status_code == 200 and "Sketchbook" in consent.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
    granted = browser.post("/oauth/authorize", data={**fields, "decision": "allow"})
    [code] = re.findall(r'id="code" class="code" value="([^"]+)"', granted.text)
    app.log_in(code=code, scopes=SCOPES, allow_http=True)
    assert app.account_verify_credentials()["username"] == "bob"


def test_wrong_codes_are_limited_and_admins_must_turn_it_on(site):
    member = signed_in(site, "carol")
    secret, _, _ = turn_on(member)
    browser = client_from(site, "127.0.0.7")
    password_step(browser, "carol")
    for _ in range(5):
        assert code_step(browser, "000000").status_code == 401
    limited = code_step(browser, next_code(secret))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "cara_session" not in browser.cookies

    admin = signed_in(site, "dan")
    refused = admin.get("/admin/signups")
    assert refused.status_code == 403 and "must turn on two-factor sign-in" in refused.text
    turn_on(admin)
    assert admin.get("/admin/signups").status_code == 200


def test_admins_turn_it_off_from_the_cli_for_a_lost_phone(site):
    member = signed_in(site, "alice")
    turn_on(member)
    assert (
        site.cli("user", "two-factor", "alice").stdout.strip()
        == "two-factor sign-in is on for @alice"
    )
    out = site.cli("user", "two-factor", "alice", "--off").stdout.strip()
    assert out == "two-factor sign-in turned off for @alice"
    assert (
        password_step(httpx.Client(base_url=site.base_url), "alice").headers["location"] == "/home"
    )


def test_the_pages_are_valid_html5(site):
    member = signed_in(site, "erin")
    pages = {"/settings/two-factor (off)": member.get(PAGE).text}
    _, _, seen = turn_on(member)
    pages["/settings/two-factor (pending)"] = seen["pending"]
    pages["/settings/two-factor (codes shown)"] = seen["codes shown"]
    pages["/settings/two-factor (on)"] = member.get(PAGE).text
    browser = client_from(site, "127.0.0.9")
    password_step(browser, "erin")
    pages["/login/two-factor"] = browser.get("/login/two-factor").text
    pages["/login/two-factor (wrong code)"] = code_step(browser, "000000").text
    assert_valid_html(pages)
