"""The artist web as a person sees it (issue 19), in Chromium at 390 and 1280 px, light and
dark, on real-looking artwork (tests/browser/gallery.py): the portfolio, a work page and its
full-screen viewer, an album, the home feed and a tag page. Each page is checked with axe-core
(tests/js, served to the page by the test, never from a CDN) for zero WCAG 2.2 AA violations,
and for what the design promises: images as large as the window allows and never upscaled,
alt text in view, a justified grid whose rows fill the width at one height, the largest image
asked for first. Screenshots go to test-artifacts/screenshots/design-*.png."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from cara_fed.theme import theme_css
from tests.browser.axe import axe_violations
from tests.browser.chromium import (
    WIDTHS,
    new_context,
    overflows_horizontally,
    screenshot,
    viewport,
)
from tests.browser.gallery import gallery, seed_studio
from tests.browser.keyboard import sign_in
from tests.web_client import PASSWORD

SCHEMES = ["light", "dark"]
ACCENT = "#2f6f5e"  # the instance's own colour, from its config


@pytest.fixture(scope="module")
def studio(make_module_instance, tmp_path_factory):
    """Ines, an artist with a header, avatar, bio and links, ten works (one behind a content
    warning), an album of prints and two pinned works; Rosa follows her."""
    site = make_module_instance("studio", instance_config=f'accent_color = "{ACCENT}"')
    return (site, *seed_studio(site, tmp_path_factory.mktemp("gallery")))


@dataclass
class View:
    page: Page
    width: int
    scheme: str


@pytest_asyncio.fixture(
    loop_scope="session",
    params=[(w, s) for w in WIDTHS for s in SCHEMES],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
async def view(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[View]:
    """A fresh page at each width (a phone's is mobile, with touch) in each colour scheme."""
    width, scheme = request.param
    context = await new_context(browser, width, scheme)
    try:
        yield View(await context.new_page(), width, scheme)
    finally:
        await context.close()


async def check_page(page: Page, name: str, width: int, scheme: str) -> None:
    await page.wait_for_load_state("load")
    assert not await overflows_horizontally(page), name
    assert await axe_violations(page) == [], f"{name} at {width}px, {scheme}"
    await load_lazy_images(page)
    await screenshot(page, f"design-{name}-{scheme}")


async def load_lazy_images(page: Page) -> None:
    """Scroll through the page so its lazy images load, for a full-page screenshot."""
    height = await page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 600):
        await page.evaluate(f"window.scrollTo(0, {y})")
        await page.wait_for_timeout(50)
    for _ in range(100):  # wait_for_function would eval a string, which the CSP refuses
        if await page.evaluate(
            "[...document.images].every(i => i.complete || i.closest('details:not([open])'))"
        ):
            break
        await page.wait_for_timeout(100)
    await page.evaluate("window.scrollTo(0, 0)")


async def rows_of(page: Page, selector: str) -> list[list[dict]]:
    """The tiles of a grid grouped by the row they sit on: each tile's box."""
    boxes = await page.locator(f"{selector} > [role=listitem]").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect();"
        " return {x: b.left, y: b.top, w: b.width, h: b.height}; })"
    )
    rows: dict[int, list[dict]] = {}
    for box in boxes:
        rows.setdefault(round(box["y"]), []).append(box)
    return [rows[y] for y in sorted(rows)]


async def test_portfolio(studio, view: View):
    site, _, _ = studio
    page, width, scheme = view.page, view.width, view.scheme
    await page.goto(f"{site.base_url}/@ines")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inès Morel")
    await expect(page.locator(".hero img.banner")).to_be_visible()
    await expect(page.locator(".hero img.avatar")).to_be_visible()
    pinned = page.get_by_role("list", name="Pinned works")
    await expect(pinned.locator(".caption")).to_have_text(
        ["Screen print I", "Ridge at dusk · 2 images"]
    )
    await expect(page.locator(".albums a")).to_have_text(["Prints"])
    # The config's accent, as this scheme makes it readable, fills the Follow button.
    light, _, dark = theme_css(ACCENT).partition("prefers-color-scheme:dark")
    wanted = re.search(r"--accent:#(\w{6})", light if scheme == "light" else dark)[1]
    rgb = "rgb({}, {}, {})".format(*(int(wanted[i : i + 2], 16) for i in (0, 2, 4)))
    follow = page.get_by_role("button", name="Follow")
    await expect(follow).to_have_css("background-color", rgb)
    # Justified: every full row spans the grid's width, its tiles at one height, each
    # tile's shape its cover's (within the 0.05 rounding of its class).
    grid = page.get_by_role("list", name="Works", exact=True)
    grid_width = (await grid.bounding_box())["width"]
    rows = await rows_of(page, "[aria-label=Works]")
    assert len(rows) >= 2
    for row in rows[:-1]:
        assert max(b["h"] for b in row) - min(b["h"] for b in row) < 1.5, row
        right = row[-1]["x"] + row[-1]["w"] - row[0]["x"]
        assert abs(right - grid_width) < 2, (right, grid_width)
    shapes = await grid.locator("img").evaluate_all(
        "els => els.map(e => [e.getAttribute('width') / e.getAttribute('height'),"
        " e.getBoundingClientRect().width / e.getBoundingClientRect().height])"
    )
    for natural, shown in shapes:
        assert abs(shown / natural - 1) < 0.06, (natural, shown)
    assert await grid.locator("img[loading=lazy]").count() == len(shapes)
    await check_page(page, "portfolio", width, scheme)


async def test_work_page_and_viewer(studio, view: View):
    site, ids, _ = studio
    page, width, scheme = view.page, view.width, view.scheme
    await page.goto(f"{site.base_url}/@ines/{ids['Ridge at dusk']}")
    images = page.locator("figure.work-image img")
    await expect(images).to_have_count(2)
    # As large as the window allows, never past the published size.
    shown = await images.evaluate_all(
        "els => els.map(e => ({w: e.getBoundingClientRect().width,"
        " h: e.getBoundingClientRect().height, nw: e.naturalWidth, nh: e.naturalHeight}))"
    )
    box = viewport(width)
    for s in shown:
        assert s["w"] <= s["nw"] + 0.5 and s["h"] <= s["nh"] + 0.5, s
        fits_width = s["w"] >= min(s["nw"], box["width"] - 48) - 1
        fits_height = s["h"] >= min(s["nh"], box["height"] - 96) - 1
        assert fits_width or fits_height, f"{s} is smaller than the window allows"
    assert await images.first.get_attribute("fetchpriority") == "high"
    assert await images.nth(1).get_attribute("loading") == "lazy"
    # Alt text in view under each image, not behind a disclosure.
    await expect(page.locator("figure.work-image .alt-text").first).to_be_visible()
    await expect(page.locator("figure.work-image .alt-text").first).to_have_text(
        "Layered hills in dusk light under a graded sky, painted in short strokes"
    )
    card = page.get_by_role("complementary", name="The artist")
    await expect(card.get_by_role("link", name="Inès Morel")).to_be_visible()
    await expect(
        card.get_by_role("textbox", name=re.compile("Follow from your server"))
    ).to_be_visible()
    await expect(page.get_by_role("list", name="Tags").get_by_role("link")).to_have_text(
        ["#landscape", "#painting"]
    )
    await check_page(page, "work", width, scheme)
    # As buttons, the images are named for what they do; their alt text is heard, whole,
    # from the caption under each.
    await expect(images.first).to_have_attribute("aria-label", "Open image 1 of 2 full screen")
    caption = page.locator("figure.work-image .alt-text").first
    assert await caption.get_attribute("aria-hidden") is None
    # The viewer: Enter on the first image, the arrow key to the second, Escape back.
    await images.first.focus()
    await page.keyboard.press("Enter")
    viewer = page.locator("dialog.viewer")
    await expect(viewer).to_be_visible()
    await expect(viewer.locator(".viewer-count")).to_have_text("1 / 2")
    await screenshot(page, f"design-viewer-{scheme}", full_page=False)
    assert await axe_violations(page) == [], f"viewer at {width}px, {scheme}"
    await page.keyboard.press("ArrowRight")
    await expect(viewer.locator(".viewer-count")).to_have_text("2 / 2")
    # A swipe to the right goes back, as on a phone.
    stage = await viewer.locator(".viewer-image").bounding_box()
    y = stage["y"] + stage["height"] / 2
    await page.mouse.move(stage["x"] + 40, y)
    await page.mouse.down()
    await page.mouse.move(stage["x"] + 240, y, steps=5)
    await page.mouse.up()
    await expect(viewer.locator(".viewer-count")).to_have_text("1 / 2")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Escape")
    await expect(viewer).to_be_hidden()
    await expect(images.nth(1)).to_be_focused()


async def test_content_warning_cover(studio, view: View):
    site, ids, _ = studio
    page, width, scheme = view.page, view.width, view.scheme
    await page.goto(f"{site.base_url}/@ines/{ids['Strobe']}")
    cover = page.locator("details.cw > summary")
    await expect(cover).to_contain_text("Content warning: flashing colours")
    await expect(page.locator("figure.work-image img")).to_be_hidden()
    await check_page(page, "content-warning", width, scheme)
    await cover.get_by_text("Show").click()
    await expect(page.locator("figure.work-image img")).to_be_visible()
    assert (await cover.bounding_box())["height"] < 120  # the cover folds away once shown


async def test_album_tag_and_instance_pages(studio, view: View):
    site, _, album = studio
    page, width, scheme = view.page, view.width, view.scheme
    await page.goto(f"{site.base_url}/@ines/albums/{album}")
    await expect(page.locator(".tile .caption")).to_have_count(3)
    await check_page(page, "album", width, scheme)
    await page.goto(f"{site.base_url}/tags/landscape")
    await expect(page.locator(".tile .caption")).to_have_count(3)
    await check_page(page, "tag", width, scheme)
    await page.goto(f"{site.base_url}/")
    await expect(page.get_by_role("list", name="Recent work").locator("img")).to_have_count(10)
    await check_page(page, "instance", width, scheme)


async def test_home_feed(studio, view: View):
    site, _, _ = studio
    page, width, scheme = view.page, view.width, view.scheme
    await sign_in(page, site, "rosa", PASSWORD)
    feed = page.locator("#feed article.entry")
    await expect(feed).to_have_count(10)
    filters = page.locator("details.filters")
    if width >= 1024:  # the filters beside the feed, open
        await expect(filters).to_have_attribute("open", "")
        side, column = await filters.bounding_box(), await page.locator("#feed").bounding_box()
        assert side["x"] > column["x"] + column["width"] - 1
    else:
        await expect(filters).not_to_have_attribute("open", "")
    # Cards link to the work; the content warning's images stay covered.
    await expect(feed.first.get_by_role("link", name="Suit study")).to_be_visible()
    strobe = feed.filter(has_text="Strobe")
    await expect(strobe.locator("figure.work-image img")).to_be_hidden()
    await check_page(page, "feed", width, scheme)


async def test_upload_with_previews_reorder_and_a_bar_per_image(studio, view: View, tmp_path):
    """Three images chosen at once fill three slots with previews; "Move later" swaps the
    first two (image, alt text and preview together), and on a desktop a drag puts the third
    first; while sending, each image has its own
    bar, filled in order; the work keeps the order shown."""
    site, _, _ = studio
    page, width, scheme = view.page, view.width, view.scheme
    pieces = {path.stem: (path, alt) for path, alt in gallery(tmp_path)}
    chosen = ["landscape0", "poster1", "landscape1"]
    await sign_in(page, site, "ines", PASSWORD)
    await page.goto(f"{site.base_url}/upload")
    await page.set_input_files(".drop-zone input[type=file]", [pieces[n][0] for n in chosen])
    previews = page.locator(".slot-preview:not([hidden]) img")
    await expect(previews).to_have_count(3)
    for n, name in enumerate(chosen, 1):
        await page.fill(f"#alt{n}", f"alt of {name}")
    await page.fill("#title", f"Three previews {width} {scheme}")
    later = page.locator("fieldset.image-slot").first.get_by_role("button", name="Move later")
    await later.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#alt1")).to_have_value("alt of poster1")
    await expect(page.locator("#alt2")).to_have_value("alt of landscape0")
    await expect(previews.first).to_have_attribute("alt", re.compile("poster1"))
    order = ["alt of poster1", "alt of landscape0", "alt of landscape1"]
    if width >= 1024:  # and by dragging, with a mouse: the third image onto the first slot
        await previews.nth(2).drag_to(page.locator("fieldset.image-slot").first)
        await expect(page.locator("#alt1")).to_have_value("alt of landscape1")
        order = [order[2], *order[:2]]
    await expect(page.locator("#alt3")).to_have_value(order[2])
    await check_page(page, "upload", width, scheme)
    # Slow the upload (Chromium's own throttling) so the bars can be seen filling; a sampler
    # keeps their values in sessionStorage, which outlives the page the upload moves to.
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 2e6},
    )
    await page.evaluate(
        """() => setInterval(() => {
          const bars = [...document.querySelectorAll('progress.slot-progress')];
          if (!bars.length) return;
          const seen = JSON.parse(sessionStorage.getItem('bars') || '[]');
          seen.push(bars.map(b => b.value));
          sessionStorage.setItem('bars', JSON.stringify(seen));
        }, 20)"""
    )
    await page.click("form#upload button[type=submit]")
    await page.wait_for_url(re.compile(r".*/@ines/\d+$"), timeout=30_000)
    bars = await page.evaluate("JSON.parse(sessionStorage.getItem('bars') || '[]')")
    seen = sorted(set(map(tuple, bars)))
    assert any(0 < value < 100 for sample in seen for value in sample), seen  # part-sent
    assert any(first == 100 and last < 100 for first, _, last in seen), seen  # one by one
    assert (
        await page.locator("figure.work-image img").evaluate_all("els => els.map(e => e.alt)")
        == order
    )


MEMBER_PAGES = [
    "/home",
    "/notifications",
    "/upload",
    "/albums",
    "/settings/profile",
    "/settings/account",
    "/settings/two-factor",
    "/settings/export",
    "/settings/apps",
    "/settings/safety",
    "/settings/move",
    "/settings/delete",
    "/follow-requests",
    "/following",
    "/imports",
    "/drafts",
    "/admin/signups",
    "/admin/reports",
    "/admin/accounts",
]


@pytest.mark.parametrize(
    "view", [(390, "dark"), (1280, "light")], indirect=True, ids=["390-dark", "1280-light"]
)
async def test_every_other_page_passes_axe(studio, view: View):
    """The pages not designed one by one still take the stylesheet: the forms of signing in,
    the studio, the settings and the admin pages, each with zero violations and no sideways
    scrolling, in both schemes and at both widths (a phone in the dark, a desktop in the
    light: each scheme's contrast and each width's layout once, in half the time)."""
    site, ids, album = studio
    page, width, scheme = view.page, view.width, view.scheme
    for path in ("/login", "/password/forgot"):
        await page.goto(site.base_url + path)
        await check_page(page, "page" + path, width, scheme)
    await sign_in(page, site, "ines", PASSWORD)
    work = ids["Ridge at dusk"]
    extra = [f"/works/{work}/edit", f"/albums/{album}"]
    for path in MEMBER_PAGES + extra:
        response = await page.goto(site.base_url + path)
        assert response.status == 200, path
        await check_page(page, "page" + path.split("?")[0], width, scheme)


@pytest.mark.parametrize("view", [(1280, "light")], indirect=True, ids=["1280-light"])
async def test_a_refused_upload_comes_back_with_its_drop_zone(studio, view: View, tmp_path):
    """The server's refusal is written into the page the upload came from, and upload.js runs
    again there: the drop zone and previews work on the page that says what to mend. Alt text
    typed into an empty slot keeps that slot in view, since it is what the server refuses."""
    site, _, _ = studio
    page = view.page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    [(first, _), *_] = gallery(tmp_path)
    await sign_in(page, site, "ines", PASSWORD)
    await page.goto(f"{site.base_url}/upload")
    await page.set_input_files(".drop-zone input[type=file]", [first])
    await page.fill("#alt2", "a caption for an image not chosen")
    await page.locator("fieldset.image-slot").first.get_by_role("button", name="Remove").click()
    await expect(page.locator("#alt1")).to_have_value("")
    await expect(page.locator("#alt2")).to_be_visible()
    await page.set_input_files(".drop-zone input[type=file]", [first])
    await page.click("form#upload button[type=submit]")
    await expect(page.get_by_role("alert")).to_contain_text("image 2 has alt text but no file")
    await expect(page.locator(".drop-zone")).to_have_count(1)
    assert errors == []
