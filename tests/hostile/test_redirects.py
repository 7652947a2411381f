"""Open redirects after sign-in: every `next=` a request can carry is read as a browser reads
a URL (tabs, CR and LF removed, backslashes as slashes, leading controls and spaces dropped)
and only a path on this site is followed. Real sign-ins against a running instance."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest

from cara_fed.routes.local_target import local_path
from tests.web_client import PASSWORD, add_member, form_token

HOSTILE = [
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t\\evil.example",
    "https://evil.example/",
    "HTTPS://evil.example/",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "evil.example",
    "",
]
# Decoded once by the query string; what is left must still not leave the site.
ENCODED = ["/%09/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "%5C%5Cevil.example"]
DOUBLE_ENCODED = ["/%2509/evil.example", "%252F%252Fevil.example", "/%252Fevil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_not_paths_of_this_site(target):
    assert local_path(target) is None


@pytest.mark.parametrize(
    ("target", "path"),
    [
        ("/home", "/home"),
        ("/@ana/12?x=1", "/@ana/12?x=1"),
        ("/%2F/evil.example", "/%2F/evil.example"),  # a path on this site: %2F is not a slash
        ("  /home\t", "/home"),
        ("/ho\nme", "/home"),
    ],
)
def test_paths_of_this_site_are_kept_as_a_browser_reads_them(target, path):
    assert local_path(target) == path


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("site")
    add_member(instance, "ana")
    return instance


def stays_here(site, location: str) -> bool:
    """Whether a browser following `location` stays on `site` (urllib drops tab, CR and LF
    as the URL standard does; backslashes are checked apart)."""
    if any(c in location for c in "\t\r\n\\"):
        return False
    return urlsplit(urljoin(site.base_url + "/login", location)).netloc == site.domain


def sign_in_through(client: httpx.Client, login_path: str) -> httpx.Response:
    """Fill the sign-in form as a browser does, its hidden `next` field included."""
    page = client.get(login_path).text
    field = re.search(r'name="next" value="([^"]*)"', page)
    data = {"csrf": form_token(page, "/login"), "username": "ana", "password": PASSWORD}
    response = client.post("/login", data={**data, "next": html.unescape(field.group(1))})
    assert response.status_code == 303
    return response


def sign_in_with_next(site, raw_query_value: str) -> str:
    with httpx.Client(base_url=site.base_url, timeout=30) as client:
        response = sign_in_through(client, f"/login?next={raw_query_value}")
        location = response.headers["location"]
        # Signed in, GET /login with the same next= redirects at once.
        again = client.get(f"/login?next={raw_query_value}")
        assert again.status_code == 303
        assert again.headers["location"] == location
        return location


@pytest.mark.parametrize("raw", [quote(t, safe="") for t in HOSTILE] + ENCODED + DOUBLE_ENCODED)
def test_signing_in_never_sends_the_visitor_to_another_site(site, raw):
    location = sign_in_with_next(site, raw)
    assert stays_here(site, location), location


def test_the_page_asked_for_is_where_signing_in_leads(site):
    assert sign_in_with_next(site, quote("/@ana?page=2", safe="")) == "/@ana?page=2"


def test_a_page_that_needs_a_session_sends_its_whole_address_to_the_sign_in(site):
    with httpx.Client(base_url=site.base_url, timeout=30) as client:
        response = client.get("/authorize_interaction?uri=https%3A%2F%2Fa.example%2Fu&x=1")
        assert response.status_code == 303
        response = sign_in_through(client, response.headers["location"])
        assert (
            response.headers["location"]
            == "/authorize_interaction?uri=https%3A%2F%2Fa.example%2Fu&x=1"
        )
