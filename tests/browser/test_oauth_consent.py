"""An app's sign-in as a member meets it in Chromium, at phone and desktop widths: the app
sends them to our consent page, they sign in, read what the app may do, authorise it with
the keyboard and copy the code; the page fits the screen."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import WIDTHS, overflows_horizontally, screenshot
from tests.browser.keyboard import type_sign_in

PASSWORD = "correct horse battery"
OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("consent")
    instance.cli("user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    return instance


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
async def test_a_member_authorises_an_app_and_copies_its_code(site, page: Page, width: int):
    async with httpx.AsyncClient() as client:
        registered = await client.post(
            site.base_url + "/api/v1/apps",
            data={"client_name": "Ice Sketch", "redirect_uris": OOB, "scopes": "read write"},
        )
    app = registered.json()
    authorize = (
        f"{site.base_url}/oauth/authorize?client_id={app['client_id']}"
        f"&redirect_uri={OOB}&response_type=code&scope=read+write"
    )
    await page.goto(authorize)
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await type_sign_in(page, "alice", PASSWORD)
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Let Ice Sketch use your account?"
    )
    await expect(page.get_by_text("post, edit and delete works")).to_be_visible()
    assert not await overflows_horizontally(page)
    await screenshot(page, "oauth-consent")

    await page.get_by_role("button", name="Authorise").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Copy this code into Ice Sketch"
    )
    code = await page.get_by_label("Authorisation code").input_value()
    assert len(code) > 30
    assert not await overflows_horizontally(page)
    await screenshot(page, "oauth-code")
