"""Two-factor sign-in set up and used in Chromium (issue 26): the member scans (here: reads)
the QR code's secret, turns it on with the app's code and their password, sees their
recovery codes, and the next sign-in asks for a code."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import screenshot
from tests.browser.keyboard import sign_in, type_sign_in
from tests.web_client import PASSWORD, add_member


@pytest.fixture(scope="module")
def site(make_module_instance):
    home = make_module_instance("web2fa")
    add_member(home, "iris")
    return home


async def test_a_member_turns_on_two_factor_and_signs_in_with_a_code(site, page: Page):
    await sign_in(page, site, "iris", PASSWORD)
    await page.goto(f"{site.base_url}/settings/two-factor")
    await page.get_by_role("button", name="Set up").click()
    qr = page.get_by_role("img", name="QR code of the secret for an authenticator app")
    await expect(qr).to_be_visible()
    assert await qr.evaluate("i => i.naturalWidth") > 100  # drawn, not a broken image
    secret = await page.locator("code.secret").text_content()
    await screenshot(page, "two-factor-setup")
    await page.get_by_label("The code the app shows").fill(pyotp.TOTP(secret).now())
    await page.get_by_label("Your password").fill(PASSWORD)
    await page.get_by_role("button", name="Turn on").click()
    await expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    await expect(page.locator(".recovery-codes li")).to_have_count(10)
    await screenshot(page, "two-factor-codes")

    await page.context.clear_cookies()
    await page.goto(f"{site.base_url}/login")
    await type_sign_in(page, "iris", PASSWORD)
    await page.wait_for_url(f"{site.base_url}/login/two-factor")
    await page.get_by_label("The code from your authenticator app").fill(
        pyotp.TOTP(secret).at(time.time() + 30)
    )
    await screenshot(page, "two-factor-sign-in")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{site.base_url}/home")
