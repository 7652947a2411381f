"""An artist who checks the cloak first, in Chromium against a real instance with the real
cloak (two steps): the upload lands on the work's cloak page, which shows, once the cloak is
done, the published image beside the original and both enlarged where the image is flattest,
at phone and desktop widths (screenshots under test-artifacts/screenshots/), with no WCAG AA
violation axe-core can find in either colour scheme; Publish makes the work public."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from playwright.async_api import Page, expect

from tests.browser.axe import axe_violations
from tests.browser.chromium import WIDTHS, overflows_horizontally, screenshot, set_width
from tests.e2e.test_cloak_publishing import FAST_CLOAK, JOB_TIMEOUT
from tests.instances import wait_for
from tests.web_client import PASSWORD, add_member


def painting(width: int = 480, height: int = 360) -> bytes:
    """A smooth sky over a busy field: the cloak page should pick the sky to enlarge."""
    y, x = np.mgrid[0:height, 0:width]
    sky = np.stack([90 + x * 60 // width, 140 + y * 40 // height, 220 - y * 30 // height], -1)
    field = np.stack([(x * 7) % 256, (y * 5 + x) % 256, ((x ^ y) * 3) % 256], -1)
    pixels = np.where((y < height // 2)[..., None], sky, field).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def studio(make_module_instance, tmp_path_factory):
    site = make_module_instance("cloak-studio", cloak_config=FAST_CLOAK)
    add_member(site, "ines")
    site.cli("user", "edit", "ines", "--cloak-review")
    files = tmp_path_factory.mktemp("paintings")
    (files / "sky.png").write_bytes(painting())
    return site, files


async def test_check_the_cloak_then_publish(studio, page: Page):
    site, files = studio
    await page.goto(f"{site.base_url}/login")
    await page.fill("#username", "ines")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{site.base_url}/home")

    await page.goto(f"{site.base_url}/upload")
    await page.fill("#title", "Evening sky")
    await page.check("#cloak-strong")
    await page.set_input_files("#image1", str(files / "sky.png"))
    await page.fill("#alt1", "a pale evening sky over a striped field")
    await page.click("form#upload button[type=submit]")
    await page.wait_for_url(f"{site.base_url}/works/*/cloak")
    await expect(page.get_by_role("status")).to_contain_text("being cloaked")
    wait_for(
        lambda: site.query("SELECT cloak_state FROM media_attachments") == [("done",)],
        JOB_TIMEOUT,
        1.0,
        "the cloak",
    )
    await page.reload()
    await expect(page.get_by_role("status")).to_contain_text("Nobody else can see this work")
    images = page.locator(".cloak-compare img")
    await expect(images).to_have_count(4)
    for width in WIDTHS:
        await set_width(page, width)
        assert not await overflows_horizontally(page), width
        for n in range(4):
            image = images.nth(n)
            await image.scroll_into_view_if_needed()
            await expect(image).to_be_visible()
            assert await image.evaluate("e => e.complete && e.naturalWidth > 0"), n
        zoomed = page.locator("img.zoomed").first
        assert await zoomed.evaluate("e => getComputedStyle(e).imageRendering") == "pixelated"
        await screenshot(page, "cloak-preview")
        for scheme in ("light", "dark"):  # the page in the design of the others (issue 19)
            await page.emulate_media(color_scheme=scheme)
            assert await axe_violations(page) == [], (width, scheme)
        await screenshot(page, "cloak-preview-dark")
        await page.emulate_media(color_scheme="light")
    # The enlarged square is the sky (the flattest part), three times its 128 pixels.
    [(report,)] = site.query("SELECT cloak_report FROM media_attachments")
    _, top, side = json.loads(report)["flat_region"]
    assert top + side <= 180 and side == 128
    crop = page.locator("img.zoomed").nth(1)
    assert await crop.evaluate("e => e.naturalWidth") == 3 * side
    await expect(page.locator(".measures").first).to_contain_text("Cloaked at strong strength.")

    await page.get_by_role("button", name="Publish").click()
    await page.wait_for_url(f"{site.base_url}/@ines/*")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Evening sky")
    await expect(page.locator("figure.work-image img")).to_be_visible()
