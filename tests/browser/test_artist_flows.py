"""An artist and a reader using the web in Chromium against real instances: upload a work of
three images with alt text and find them in that order; arrange an album; a content warning
that blurs the work until a click; follow an artist on another instance and see their work in
the home feed; a saved filter that changes the feed. Screenshots of the portfolio and of a
work page, at phone and desktop widths, are saved under test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import WIDTHS, overflows_horizontally, screenshot, set_width
from tests.conftest import artwork
from tests.instances import wait_for
from tests.web_client import PASSWORD, add_member

WORK_URL = re.compile(r".*/@ines/\d+$")


@pytest.fixture(scope="module")
def sites(make_module_instance, tmp_path_factory):
    """Ines on `home`; Mara, an artist, on `elsewhere`; image files to upload."""
    home = make_module_instance("home")
    elsewhere = make_module_instance("elsewhere")
    add_member(home, "ines")
    elsewhere.cli("user", "add", "mara", "--display-name", "Mara")
    files = tmp_path_factory.mktemp("uploads")
    for n, (w, h) in enumerate([(600, 400), (300, 500), (500, 500), (640, 360)], 1):
        (files / f"{n}.jpg").write_bytes(artwork(w, h, seed=n * 7))
    return home, elsewhere, files


async def sign_in(page: Page, site) -> None:
    await page.goto(f"{site.base_url}/login")
    await page.fill("#username", "ines")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{site.base_url}/home")


async def upload(page: Page, site, files, images: list[tuple[int, str]], **fields: str) -> str:
    """Fill the upload form as a person does and send it; returns the work's URL."""
    await page.goto(f"{site.base_url}/upload")
    for name, value in fields.items():
        if name == "album":
            await page.select_option("#album", label=value)
        else:
            await page.fill(f"#{name}", value)
    for slot, (number, alt) in enumerate(images, 1):
        await page.set_input_files(f"#image{slot}", str(files / f"{number}.jpg"))
        await page.fill(f"#alt{slot}", alt)
    await page.click("form#upload button[type=submit]")
    await page.wait_for_url(WORK_URL)
    return page.url


async def alts(page: Page, selector: str) -> list[str]:
    return await page.locator(selector).evaluate_all("els => els.map(e => e.alt)")


async def test_upload_three_images_and_find_them_in_order(sites, page: Page):
    home, _, files = sites
    await sign_in(page, home)
    wanted = ["a red fox in snow", "a tall grey heron", "a square of moss"]
    url = await upload(
        page, home, files, list(zip((1, 2, 3), wanted, strict=True)), title="Three studies"
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Three studies")
    assert await alts(page, "figure.work-image img") == wanted
    for width in WIDTHS:
        await set_width(page, width)
        assert not await overflows_horizontally(page), width
        await screenshot(page, "work-page")
    await page.goto(f"{home.base_url}/@ines")
    tile = page.locator(".tile", has_text="Three studies")
    await expect(tile).to_contain_text("3 images")
    assert await alts(page, ".tile img") == [wanted[0]]  # the cover: the first image
    for width in WIDTHS:
        await set_width(page, width)
        assert not await overflows_horizontally(page), width
        await screenshot(page, "portfolio")
    # The work's own page keeps the order after a reload.
    await page.goto(url)
    assert await alts(page, "figure.work-image img") == wanted


async def test_arrange_an_album(sites, page: Page):
    home, _, files = sites
    await sign_in(page, home)
    await page.goto(f"{home.base_url}/albums")
    await page.fill("#album-title", "Birds")
    await page.click("text=Make the album")
    await page.wait_for_url(re.compile(r".*/albums/\d+$"))
    arrange_url = page.url
    for n, title in ((1, "Fox"), (2, "Heron"), (3, "Moss")):
        await upload(page, home, files, [(n, f"{title} study")], title=title, album="Birds")
    await page.goto(arrange_url)
    titles = page.locator("#album-items .item-title")
    await expect(titles).to_have_text(["Fox", "Heron", "Moss"])
    await page.get_by_role("button", name="Move up: Moss").click()
    await expect(titles).to_have_text(["Fox", "Moss", "Heron"])
    await page.get_by_role("button", name="Move down: Fox").click()
    await expect(titles).to_have_text(["Moss", "Fox", "Heron"])
    await page.click("text=View the album")
    await expect(page.locator(".tile .caption")).to_have_text(["Moss", "Fox", "Heron"])


async def test_a_content_warning_blurs_the_work_until_a_click(sites, page: Page):
    home, _, files = sites
    await sign_in(page, home)
    await upload(
        page,
        home,
        files,
        [(4, "a storm over the sea, lightning")],
        title="Storm",
        content_warning="flashing light",
    )
    warning = page.locator("details.cw")
    summary = warning.locator(":scope > summary")
    await expect(summary).to_contain_text("Content warning: flashing light")
    image = page.locator("figure.work-image img")
    await expect(image).to_be_hidden()
    preview = page.locator("img.blurred")
    await expect(preview).to_be_visible()
    assert "blur" in await preview.evaluate("e => getComputedStyle(e).filter")
    await screenshot(page, "work-page-content-warning")
    await summary.click()
    await expect(image).to_be_visible()
    await expect(preview).to_be_hidden()
    assert await image.evaluate("e => getComputedStyle(e).filter") == "none"
    # In the portfolio the work's tile is blurred too, and says why.
    await page.goto(f"{home.base_url}/@ines")
    tile = page.locator(".tile.cw", has_text="Storm")
    await expect(tile).to_contain_text("CW: flashing light")
    assert "blur" in await tile.locator("img").evaluate("e => getComputedStyle(e).filter")


async def test_follow_an_artist_elsewhere_and_filter_the_feed(sites, page: Page, tmp_path):
    home, elsewhere, files = sites
    await sign_in(page, home)
    await page.fill("#follow-account", f"mara@{elsewhere.domain}")
    await page.click("form.follow button[type=submit]")
    await expect(page.get_by_role("status")).to_have_text("Follow request sent.")
    wait_for(
        lambda: (
            home.query(
                "SELECT f.state FROM follows f JOIN actors a ON a.id = f.followee_id "
                "WHERE a.username = 'mara'"
            )
            == [("accepted",)]
        ),
        what="Mara's server to accept",
    )
    for number, alt, extra in (
        (1, "a calm lake", ["--text", "Lake"]),
        (2, "a crow on a wire", ["--text", "Crow", "--summary", "birds"]),
    ):
        elsewhere.cli("post", "mara", "--image", str(files / f"{number}.jpg"), "--alt", alt, *extra)
    wait_for(
        lambda: (
            home.query(
                "SELECT count(*) FROM posts p JOIN actors a ON a.id = p.author_id "
                "WHERE a.username = 'mara'"
            )[0][0]
            == 2
        ),
        what="Mara's two works on this instance",
    )
    await page.goto(f"{home.base_url}/home")
    feed = page.locator("#feed")
    await expect(feed.locator("img[alt='a calm lake']")).to_be_visible()
    await expect(feed).to_contain_text("Content warning: birds")
    await screenshot(page, "home-feed")
    # Save a filter: sensitive work goes from the feed, and stays gone on the next visit.
    filters = page.locator("details.filters")
    if await filters.get_attribute("open") is None:  # wide pages open the side panel at once
        await filters.locator("summary").click()
    await page.check("input[name=hide_sensitive]")
    await page.click("text=Save filters")
    await page.wait_for_url(f"{home.base_url}/home")
    await expect(feed).not_to_contain_text("Content warning: birds")
    await expect(feed.locator("img[alt='a calm lake']")).to_be_visible()
    await page.reload()
    await expect(feed).not_to_contain_text("Crow")
    await expect(page.locator("details.filters summary")).to_contain_text("(on)")
