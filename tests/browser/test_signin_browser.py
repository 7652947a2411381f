"""Signing in to a running instance in Chromium, with the keyboard alone, on a phone-wide
and a desktop-wide screen: the form's focus order, the error of a wrong password, the
session cookie and signing out."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import WIDTHS, overflows_horizontally, screenshot
from tests.browser.keyboard import focused_id, type_sign_in

PASSWORD = "correct horse battery"
WIDE = pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")


@pytest.fixture(scope="module")
def site(make_module_instance):
    instance = make_module_instance("browser")
    for name, display in (("alice", "Alice Liddell"), ("bea", "Bea")):
        instance.cli(
            "user", "add", name, "--display-name", display, "--password-stdin",
            stdin=PASSWORD + "\n",
        )  # fmt: skip
    return instance


async def session_cookie(page: Page) -> dict | None:
    return next((c for c in await page.context.cookies() if c["name"] == "cara_session"), None)


@WIDE
async def test_signing_in_and_out_with_the_keyboard(site, page: Page, width: int):
    await page.goto(f"{site.base_url}/login")
    await expect(page).to_have_title(re.compile("^Sign in"))
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The name field has the focus on arrival; in the Tab order it follows the site's
    # navigation at the top of the page (whose last link is this page's own).
    assert await focused_id(page) == "username"
    await page.keyboard.press("Shift+Tab")
    assert await page.evaluate("document.activeElement.getAttribute('href')") == "/login"
    await page.keyboard.press("Tab")
    assert not await overflows_horizontally(page)
    await screenshot(page, "signin-form")

    await type_sign_in(page, "alice", PASSWORD)
    await page.wait_for_url(f"{site.base_url}/home")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    await expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    await expect(page.get_by_role("link", name="Portfolio")).to_have_attribute("href", "/@alice")
    cookie = await session_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert not await overflows_horizontally(page)
    await screenshot(page, "signin-home")

    # Coming back to /login while signed in goes straight home.
    await page.goto(f"{site.base_url}/login")
    assert page.url == f"{site.base_url}/home"

    # Sign out with the keyboard: Tab until the button has the focus, then Enter.
    for _ in range(20):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "Sign out":
            break
    else:
        pytest.fail("Tab never reached the Sign out button")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{site.base_url}/")
    assert await session_cookie(page) is None
    await expect(page.get_by_role("link", name="Alice Liddell")).to_be_visible()
    await screenshot(page, "signin-signed-out")
    await page.goto(f"{site.base_url}/home")
    assert page.url == f"{site.base_url}/login?next=/home"


@WIDE
async def test_a_wrong_password_shows_the_error_and_keeps_the_name(site, page: Page, width: int):
    await page.goto(f"{site.base_url}/login")
    await type_sign_in(page, "bea", "not the password")
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text("wrong name or password")
    assert page.url == f"{site.base_url}/login"
    await expect(page.locator("#username")).to_have_value("bea")
    await expect(page.locator("#password")).to_have_value("")
    assert await session_cookie(page) is None
    assert not await overflows_horizontally(page)
    await screenshot(page, "signin-wrong-password")

    # The form sent back works: the right password now signs in.
    await page.locator("#username").fill("")
    await page.locator("#username").focus()
    await type_sign_in(page, "bea", PASSWORD)
    await page.wait_for_url(f"{site.base_url}/home")
    await expect(page.get_by_text("Signed in as Bea")).to_be_visible()
    assert await session_cookie(page) is not None
