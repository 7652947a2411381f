"""The client API's front door, driven by Mastodon.py (a real client nobody here wrote)
against a running instance over real HTTP: the instance documents apps read before anyone
signs in, registering an app, a member consenting on our page, the token, the member's own
account, and revoking it. The OAuth refusals are checked with plain requests."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from mastodon import Mastodon, MastodonUnauthorizedError

PASSWORD = "correct horse battery"
OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("site")
    instance.cli(
        "user",
        "add",
        "alice",
        "--password-stdin",
        "--display-name",
        "Alice A.",
        stdin=PASSWORD + "\n",
    )
    instance.cli("user", "edit", "alice", "--bio", "I paint <ships> & harbours")
    return instance


def signed_in(site, name: str = "alice") -> httpx.Client:
    client = httpx.Client(base_url=site.base_url)
    form = client.get("/login")
    [token] = re.findall(r'name="csrf" value="([^"]+)"', form.text)
    done = client.post("/login", data={"csrf": token, "username": name, "password": PASSWORD})
    assert done.status_code == 303, done.text
    return client


def consent(browser: httpx.Client, authorize_url: str, decision: str = "allow") -> httpx.Response:
    """Open the consent page an app sent the member to, and press a button on it."""
    page = browser.get(authorize_url)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    return browser.post("/oauth/authorize", data={**fields, "decision": decision})


def code_on(page: httpx.Response) -> str:
    [code] = re.findall(r'id="code" class="code" value="([^"]+)"', page.text)
    return code


def test_an_app_signs_a_member_in_with_mastodon_py_and_reads_their_account(site):
    client_id, client_secret = Mastodon.create_app(
        "Sketchbook", api_base_url=site.base_url, scopes=["read", "write", "follow"]
    )
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=site.base_url)
    url = app.auth_request_url(scopes=["read", "write", "follow"], allow_http=True)
    # Mastodon.py sends state=None and force_login=False as text: the page takes them.
    assert "state=None" in url
    browser = signed_in(site)
    page = browser.get(url)
    assert page.status_code == 200
    assert "Let Sketchbook use your account?" in page.text and "@alice" in page.text
    granted = consent(browser, url)
    assert granted.status_code == 200 and "Copy this code into Sketchbook" in granted.text

    token = app.log_in(code=code_on(granted), scopes=["read", "write", "follow"], allow_http=True)
    assert token
    # log_in read the instance's version; a string it cannot parse would have raised.
    assert app.retrieve_mastodon_version() == "4.3.0"
    me = app.account_verify_credentials()
    assert me["username"] == "alice" and me["acct"] == "alice"
    assert me["display_name"] == "Alice A."
    assert me["url"] == f"{site.base_url}/@alice"
    assert me["note"] == "<p>I paint &lt;ships&gt; &amp; harbours</p>"
    assert me["source"]["note"] == "I paint <ships> & harbours"
    assert me["followers_count"] == 0 and me["statuses_count"] == 0
    avatar = httpx.get(me["avatar"])
    assert avatar.status_code == 200 and avatar.headers["content-type"] == "image/png"
    # Only digests are stored: neither the token nor the app's secret is in the database.
    rows = site.query("SELECT token_hash FROM oauth_tokens")
    assert rows == [(hashlib.sha256(token.encode()).hexdigest(),)]
    assert site.query(
        "SELECT count(*) FROM oauth_apps WHERE client_secret_hash = ?", client_secret
    ) == [(0,)]

    app.revoke_access_token(allow_http=True)
    with pytest.raises(MastodonUnauthorizedError):
        Mastodon(access_token=token, api_base_url=site.base_url).account_verify_credentials()


def test_the_instance_documents_need_no_token_and_say_what_the_server_is(site):
    for path in ("/api/v1/instance", "/api/v1/instance/", "/api/v2/instance/"):
        response = httpx.get(site.base_url + path)
        assert response.status_code == 200, path
        assert response.headers["access-control-allow-origin"] == "*"
    v2 = httpx.get(site.base_url + "/api/v2/instance").json()
    assert v2["domain"] == urlsplit(site.base_url).netloc
    assert v2["version"].startswith("4.3.0 (compatible; cara-fed ")
    assert v2["api_versions"] == {"mastodon": 2}
    limits = v2["configuration"]["media_attachments"]
    assert limits["supported_mime_types"] == ["image/jpeg", "image/png", "image/webp"]
    assert limits["image_size_limit"] > 0
    assert v2["rules"][0]["id"] == "1" and "AI-generated" in v2["rules"][0]["text"]
    thumbnail = httpx.get(v2["thumbnail"]["url"])
    assert thumbnail.status_code == 200 and thumbnail.content.startswith(b"\x89PNG")
    assert Mastodon(api_base_url=site.base_url).instance_v2()["title"] == v2["title"]
    assert httpx.get(site.base_url + "/api/v1/custom_emojis").json() == []
    meta = httpx.get(site.base_url + "/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"] == site.base_url + "/oauth/token"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert "password" not in meta["grant_types_supported"]
    preflight = httpx.options(
        site.base_url + "/api/v1/accounts/verify_credentials",
        headers={
            "Origin": "https://elk.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-headers"] == "authorization"


def register(site, redirect_uri: str, scopes: str = "read write", name: str = "Phone app") -> dict:
    response = httpx.post(
        site.base_url + "/api/v1/apps",
        json={"client_name": name, "redirect_uris": [redirect_uri], "scopes": scopes},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_code_flow_with_pkce_redirects_back_and_each_code_works_once(site):
    app = register(site, "sketchbook://oauth")
    assert app["redirect_uris"] == ["sketchbook://oauth"] and app["scopes"] == ["read", "write"]
    verifier = "a-verifier-of-the-length-rfc-7636-asks-for-0123456789"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = {
        "client_id": app["client_id"],
        "redirect_uri": "sketchbook://oauth",
        "response_type": "code",
        "scope": "read",
        "state": "xyz",
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    browser = signed_in(site)
    answer = consent(browser, "/oauth/authorize?" + httpx.QueryParams(query).__str__())
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert back.scheme == "sketchbook"
    given = parse_qs(back.query)
    assert given["state"] == ["xyz"]
    exchange = {
        "grant_type": "authorization_code",
        "code": given["code"][0],
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "redirect_uri": "sketchbook://oauth",
    }
    wrong = httpx.post(site.base_url + "/oauth/token", data={**exchange, "code_verifier": "no"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # The failed try used the code up: a code tried twice is a code leaked.
    again = httpx.post(site.base_url + "/oauth/token", data={**exchange, "code_verifier": verifier})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"

    answer = consent(browser, "/oauth/authorize?" + httpx.QueryParams(query).__str__())
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    issued = httpx.post(
        site.base_url + "/oauth/token", data={**exchange, "code": code, "code_verifier": verifier}
    )
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read"
    assert isinstance(body["created_at"], int)
    me = httpx.get(
        site.base_url + "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert me.status_code == 200 and me.json()["username"] == "alice"


def test_denying_sends_the_app_back_with_access_denied_and_no_code(site):
    app = register(site, "https://app.example/back")
    query = httpx.QueryParams(
        {
            "client_id": app["client_id"],
            "response_type": "code",
            "redirect_uri": "https://app.example/back",
            "state": "s1",
        }
    )
    answer = consent(signed_in(site), f"/oauth/authorize?{query}", decision="deny")
    assert answer.status_code == 302
    given = parse_qs(urlsplit(answer.headers["location"]).query)
    assert given["error"] == ["access_denied"] and given["state"] == ["s1"]
    assert "code" not in given
    codes = site.query(
        "SELECT count(*) FROM oauth_codes c JOIN oauth_apps a ON a.id = c.app_id "
        "WHERE a.client_id = ?",
        app["client_id"],
    )
    assert codes == [(0,)]


def test_bad_authorization_requests_get_a_page_and_are_never_redirected(site):
    app = register(site, "https://app.example/back")
    browser = signed_in(site)
    cases = {
        "unknown client": {"client_id": "nope", "redirect_uri": "https://app.example/back"},
        "unregistered redirect": {
            "client_id": app["client_id"],
            "redirect_uri": "https://evil.example/steal",
        },
        "more scopes than registered": {
            "client_id": app["client_id"],
            "scope": "read write push",
            "redirect_uri": "https://app.example/back",
        },
        "plain PKCE": {
            "client_id": app["client_id"],
            "redirect_uri": "https://app.example/back",
            "code_challenge": "abc",
            "code_challenge_method": "plain",
        },
    }
    for what, query in cases.items():
        response = browser.get("/oauth/authorize", params={"response_type": "code", **query})
        assert response.status_code == 400, what
        assert "location" not in response.headers, what
        assert "cannot sign in here" in response.text, what


def test_the_consent_page_needs_a_signed_in_member_and_our_own_form(site):
    app = register(site, OOB)
    url = f"/oauth/authorize?client_id={app['client_id']}&redirect_uri={OOB}&response_type=code"
    anonymous = httpx.get(site.base_url + url)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    browser = signed_in(site)
    forged = browser.post(
        "/oauth/authorize",
        data={
            "client_id": app["client_id"],
            "redirect_uri": OOB,
            "response_type": "code",
            "decision": "allow",
            "csrf": "guessed",
        },
    )
    assert forged.status_code == 403 and "Copy this code" not in forged.text


def test_tokens_are_refused_without_the_scope_or_from_the_wrong_client(site):
    app = register(site, OOB, scopes="read write push")
    own = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "push",
        },
    )
    assert own.status_code == 200 and own.json()["scope"] == "push"
    headers = {"Authorization": f"Bearer {own.json()['access_token']}"}
    # An app's own token reads the app, not a member's account, and not outside its scope.
    assert (
        httpx.get(site.base_url + "/api/v1/apps/verify_credentials", headers=headers).json()["name"]
        == "Phone app"
    )
    refused = httpx.get(site.base_url + "/api/v1/accounts/verify_credentials", headers=headers)
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}

    wrong_secret = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": "not-it",
        },
    )
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"
    password_grant = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "alice",
            "password": PASSWORD,
        },
    )
    assert password_grant.status_code == 400
    assert password_grant.json()["error"] == "unsupported_grant_type"
    missing = httpx.get(site.base_url + "/api/v1/accounts/verify_credentials")
    assert missing.status_code == 401
    assert missing.json() == {"error": "The access token is invalid"}


def test_the_web_session_cookie_does_not_authenticate_the_api(site):
    browser = signed_in(site)
    assert browser.get("/home").status_code == 200
    assert browser.get("/api/v1/accounts/verify_credentials").status_code == 401


def test_registrations_that_make_no_sense_are_refused_and_store_nothing(site):
    before = site.query("SELECT count(*) FROM oauth_apps")
    for body in (
        {"client_name": "x", "redirect_uris": "javascript:alert(1)"},
        {"client_name": "x", "redirect_uris": "not a uri"},
        {"client_name": "", "redirect_uris": OOB},
        {"client_name": "x", "redirect_uris": OOB, "scopes": "read admin:write"},
        {"client_name": "x"},
    ):
        response = httpx.post(site.base_url + "/api/v1/apps", data=body)
        assert response.status_code == 422, body
        assert response.json()["error"].startswith("Validation failed"), body
    assert site.query("SELECT count(*) FROM oauth_apps") == before


def test_a_member_sees_the_apps_they_let_in_and_revoking_signs_the_app_out(site):
    app = register(site, OOB, scopes="read", name="Gallery viewer")
    browser = signed_in(site)
    url = f"/oauth/authorize?client_id={app['client_id']}&redirect_uri={OOB}&response_type=code"
    code = code_on(consent(browser, url))
    token = httpx.post(
        site.base_url + "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OOB,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = site.base_url + "/api/v1/accounts/verify_credentials"
    assert httpx.get(me, headers=headers).status_code == 200
    listing = browser.get("/settings/apps")
    assert listing.status_code == 200 and "Gallery viewer" in listing.text
    [app_id] = re.findall(
        r'name="app" value="(\d+)"><button type="submit" aria-label="Revoke '
        r'Gallery viewer"',
        listing.text,
    )
    [csrf] = set(
        re.findall(
            r'action="/settings/apps"><input type="hidden" name="csrf" value="([^"]+)"',
            listing.text,
        )
    )
    # Another member cannot revoke it: the app holds nothing of theirs.
    site.cli("user", "add", "bea", "--password-stdin", stdin=PASSWORD + "\n")
    bea = signed_in(site, "bea")
    bea_page = bea.get("/settings/apps").text
    assert "No apps have access to your account." in bea_page
    [bea_csrf] = set(re.findall(r'name="csrf" value="([^"]+)"', bea_page))
    assert bea.post("/settings/apps", data={"csrf": bea_csrf, "app": app_id}).status_code == 404
    assert httpx.get(me, headers=headers).status_code == 200
    revoked = browser.post("/settings/apps", data={"csrf": csrf, "app": app_id})
    assert revoked.status_code == 303
    assert httpx.get(me, headers=headers).status_code == 401
    assert "Gallery viewer" not in browser.get("/settings/apps").text
