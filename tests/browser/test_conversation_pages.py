"""A text answer made from an app, as a visitor meets it in Chromium at phone and desktop
widths: under the work it answers, and on its own page, which says what it answers and
links there; neither page overflows the screen."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.api.test_boosts_and_fetched_posts import post_work
from tests.api.test_posting_mastodon_py import PASSWORD, sign_in_app
from tests.browser.chromium import WIDTHS, overflows_horizontally, screenshot


@pytest.fixture(scope="module")
def conversation(make_module_instance):
    site = make_module_instance("talk")
    for name in ("alice", "carol"):
        site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    alice, carol = sign_in_app(site, "alice"), sign_in_app(site, "carol")
    work = post_work(alice, "kingfisher, watercolour", seed=71)
    answer = carol.status_post("@alice the blue of the wing!", in_reply_to_id=work)
    return work, answer


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
async def test_an_answer_shows_under_the_work_and_on_its_own_page(
    conversation, page: Page, width: int
):
    work, answer = conversation
    await page.goto(work["url"])
    await expect(page.get_by_text("the blue of the wing!")).to_be_visible()
    assert not await overflows_horizontally(page)
    await screenshot(page, "work-with-answer")

    await page.goto(answer["url"])
    await expect(page.get_by_text("the blue of the wing!")).to_be_visible()
    link = page.get_by_role("link", name="kingfisher, watercolour")
    await expect(link).to_have_attribute("href", work["url"])
    assert not await overflows_horizontally(page)
    await screenshot(page, "answer-page")
