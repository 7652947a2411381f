"""An Instagram export imported from the web, in Chromium (issue 25, part 1): the artist
uploads the ZIP on /imports, watches the import finish (the page refreshes itself while it
runs in a worker), reads its report, gives alt text on /drafts in one form for all the works,
publishes them, and finds them on her portfolio with their original dates; the notice of the
finished import is in her notifications. The archive is the e2e test's, in the real shape."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import screenshot
from tests.browser.keyboard import sign_in
from tests.e2e.test_imports import instagram_export
from tests.web_client import PASSWORD, add_member


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    home = make_module_instance("webimport")
    add_member(home, "iris")
    return home, instagram_export(tmp_path_factory.mktemp("export") / "instagram.zip")


async def test_an_export_uploaded_on_the_web_becomes_published_works(site, page: Page):
    home, export = site
    await sign_in(page, home, "iris", PASSWORD)
    await page.goto(f"{home.base_url}/imports")
    await page.select_option("#kind", "instagram")
    await page.set_input_files("#archive", str(export))
    await page.click("form[action='/imports'] button[type=submit]")
    finished = page.get_by_text(re.compile(r"finished: 2 of 5 posts imported"))
    await expect(finished).to_be_visible(timeout=60_000)
    await page.get_by_text("3 not imported").click()
    await expect(page.get_by_text(re.compile("robot.png was refused"))).to_be_visible()
    await screenshot(page, "imports-finished")

    await page.goto(f"{home.base_url}/drafts")
    boxes = page.locator("textarea")
    await expect(boxes).to_have_count(3)  # the single image and the carousel's two
    for n, text in enumerate(("ink drawing of a café table", "pencil study", "paint study")):
        await boxes.nth(n).fill(text)
    images = page.locator(".draft-image img")
    assert await images.first.evaluate("i => i.naturalWidth") > 0  # her private copy, shown
    await screenshot(page, "drafts")
    await page.click("form.drafts button[type=submit]")
    await expect(page.get_by_text("Published 2 works.")).to_be_visible()

    await page.goto(f"{home.base_url}/@iris")
    portfolio = await page.content()
    assert "Café study in ink ✒️" in portfolio and "Carousel: étude in three parts" in portfolio
    await screenshot(page, "portfolio-after-import")
    assert home.query("SELECT substr(published, 1, 10) FROM posts ORDER BY published") == [
        ("2019-05-04",),
        ("2020-01-26",),
    ]
    await page.goto(f"{home.base_url}/notifications")
    await expect(page.get_by_text("Your import finished")).to_be_visible()
