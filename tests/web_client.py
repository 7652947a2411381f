"""A browser-like HTTP client for an instance's web pages: signs in through the real form and
fills forms with the tokens the pages carry."""

from __future__ import annotations

import re

import httpx

PASSWORD = "correct horse battery"


def add_member(instance, name: str, password: str = PASSWORD) -> None:
    instance.cli("user", "add", name, "--password-stdin", stdin=password + "\n")


def form_token(page: str, action: str) -> str:
    """The CSRF token of the form posting to `action` on `page`."""
    for form in re.findall(r"<form[^>]*>.*?</form>", page, flags=re.S):
        if f'action="{action}"' in form:
            return re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    raise AssertionError(f"no form posts to {action}")


def signed_in(instance, name: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=instance.base_url, timeout=30)
    page = client.get("/login").text
    response = client.post(
        "/login",
        data={"csrf": form_token(page, "/login"), "username": name, "password": password},
    )
    assert response.status_code == 303, response.text
    return client


def sign_up(instance, name: str, reason: str, address: str = "127.0.0.1") -> httpx.Response:
    """Sign up through the real form, from the loopback `address` given: the instance takes
    five sign-ups an hour from one address, so tests that make more give each its own."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=instance.base_url, transport=transport, timeout=30) as client:
        page = client.get("/signup").text
        data = {"username": name, "password": PASSWORD, "reason": reason}
        return client.post("/signup", data={"csrf": form_token(page, "/signup"), **data})


def submit(client: httpx.Client, page_path: str, action: str, data=None, files=None):
    """Open `page_path`, then post its form for `action` with `data` (and `files`)."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    body = {"csrf": form_token(page.text, action), **(data or {})}
    return client.post(action, data=body, files=files)
