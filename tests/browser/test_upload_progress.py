"""The upload page's progress bar (static/upload.js) over a slow connection: a large upload
shows how much has gone while it goes, then the browser lands on the new work.

The slow connection is Chromium's own network throttling (DevTools protocol), applied to
this page only; the server and the upload are real.
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest
from PIL import Image
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, expect

from tests.browser.chromium import screenshot
from tests.browser.keyboard import sign_in
from tests.web_client import PASSWORD, add_member

# ~4.4 MB of noise (PNG cannot compress it) sent at 1.5 MB/s: about three seconds of upload,
# enough for a dozen samples of the bar at the pace below.
SIDE = 1210
UPLOAD_BYTES_PER_SECOND = 1_500_000
SAMPLE_EVERY = 0.2


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    """Ines on an instance of her own, and a large image that does not compress."""
    home = make_module_instance("progress")
    add_member(home, "ines")
    path = tmp_path_factory.mktemp("big") / "noise.png"
    Image.frombytes("RGB", (SIDE, SIDE), os.urandom(SIDE * SIDE * 3)).save(path, compress_level=1)
    assert path.stat().st_size > 4_000_000
    return home, path


async def bar_value(page: Page) -> float | None:
    """The bar's value now, or None while the page is being replaced by the work's."""
    try:
        return await page.evaluate(
            "() => { const b = document.getElementById('upload-progress'); "
            "return b ? b.value : null; }"
        )
    except PlaywrightError:  # the execution context went with the navigation
        return None


async def test_the_progress_bar_rises_during_a_slow_upload(site, page: Page):
    home, image = site
    await sign_in(page, home, "ines", PASSWORD)
    await page.goto(f"{home.base_url}/upload")
    bar, status = page.locator("#upload-progress"), page.locator("#upload-status")
    await expect(bar).to_be_hidden()
    await page.fill("#title", "Noise")
    await page.set_input_files("#image1", str(image))
    await page.fill("#alt1", "coloured static, like an old television")
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": UPLOAD_BYTES_PER_SECOND,
        },
    )
    await page.click("form#upload button[type=submit]")
    await expect(bar).to_be_visible()
    await expect(bar).to_have_accessible_name("Upload progress")

    samples: list[float] = []
    shot = False
    while (value := await bar_value(page)) is not None and value < 100:
        samples.append(value)
        if 0 < value < 100 and not shot:
            await expect(status).to_have_text(re.compile(r"^Uploading… \d+% of 4\.\d MB$"))
            await screenshot(page, "upload-progress")
            shot = True
        await asyncio.sleep(SAMPLE_EVERY)
    await page.wait_for_url(re.compile(r".*/@ines/\d+$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Noise")

    assert samples == sorted(samples), f"the bar went back: {samples}"
    moving = [v for v in samples if 0 < v < 100]
    assert len(set(moving)) >= 2 and moving[-1] > moving[0], f"it never rose: {samples}"
