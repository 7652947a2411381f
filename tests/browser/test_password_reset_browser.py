"""A forgotten password reset in Chromium, end to end (issue 26): from the sign-in page's
link, the member asks for a link, reads the mail a real SMTP server received (aiosmtpd,
tests/mail_server.py), follows the link, sets a new password and signs in with it; the
browser that was signed in before is signed out, and the link does not work twice."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import screenshot
from tests.browser.keyboard import sign_in
from tests.mail_server import MailServer, link_in
from tests.web_client import PASSWORD, signed_in

NEW = "paper, ink and patience"


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    mail = MailServer(tmp_path_factory.mktemp("mail")).start()
    home = make_module_instance("webreset", extra_config=mail.config())
    home.cli("user", "add", "iris", "--email", "iris@mail.test", "--password-stdin",
             stdin=PASSWORD + "\n")  # fmt: skip
    yield home, mail
    mail.stop()


async def test_a_member_resets_a_forgotten_password_from_the_mail(site, page: Page):
    home, mail = site
    earlier = signed_in(home, "iris")  # another browser, signed in before the reset
    await page.goto(f"{home.base_url}/login")
    await page.get_by_role("link", name="Forgot your password?").click()
    await expect(page.get_by_role("heading", name="Forgot your password")).to_be_visible()
    await page.get_by_label("Email address").fill("iris@mail.test")
    await page.get_by_role("button", name="Send the link").click()
    await expect(page.get_by_role("status")).to_contain_text("a message with a link")
    await screenshot(page, "reset-asked")

    [message] = mail.wait_for("iris@mail.test")
    link = link_in(message)
    # As a mail program shows it: on a blank page, not under our pages' CSP, which would
    # drop the message's inline styles.
    await page.goto("about:blank")
    await page.set_content(message.get_body(("html",)).get_content())
    await screenshot(page, "reset-mail")
    await page.get_by_role("link", name="Set a new password").click()
    assert page.url == link
    await expect(page.get_by_role("heading")).to_have_text("Set a new password for @iris")
    await page.get_by_label("New password").fill(NEW)
    await screenshot(page, "reset-form")
    await page.get_by_role("button", name="Set the password").click()
    await page.wait_for_url(f"{home.base_url}/login?reset=done")
    await expect(page.get_by_role("status")).to_contain_text("Your new password is set")

    earlier_home = earlier.get("/home")
    assert earlier_home.status_code == 303 and earlier_home.headers["location"].startswith("/login")
    await sign_in(page, home, "iris", NEW)
    await page.goto(f"{home.base_url}/settings/account")
    await expect(page.get_by_label("Email address")).to_have_value("iris@mail.test")
    await page.goto(link)
    await expect(page.get_by_text("this reset link does not work")).to_be_visible()
