"""Debian's Chromium driven by Playwright: how it is launched, page widths, screenshots.

Playwright's wheel carries its driver but no browser, and `playwright install` is never run:
scripts/setup installs Debian's `chromium` package, and tests launch /usr/bin/chromium.

The tests use Playwright's async API. Its sync API runs its event loop in a greenlet of the
calling thread and leaves that loop marked as running between calls, so every async test
that a worker ran after a browser test (with one browser per worker) failed with "Runner.run()
cannot be called from a running event loop".
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page

from tests.instances import REPO

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# Without the background-networking flags Chromium reaches for update and sync servers at
# start, which this closed network refuses; QUIC and the GPU are of no use headless.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = 390
DESKTOP = 1280
WIDTHS = [PHONE, DESKTOP]
_HEIGHTS = {PHONE: 844, DESKTOP: 800}


def viewport(width: int) -> dict[str, int]:
    """A viewport of this width with a height of its kind of screen (a phone is taller)."""
    return {"width": width, "height": _HEIGHTS.get(width, 800)}


async def new_context(
    browser: Browser, width: int = DESKTOP, scheme: str = "light"
) -> BrowserContext:
    """A fresh context (no cookies, no storage) at this width and in this colour scheme.
    Narrow ones are mobile, so the page's <meta name="viewport"> is honoured as a phone
    would."""
    context = await browser.new_context(
        viewport=viewport(width), is_mobile=width < 600, has_touch=width < 600, color_scheme=scheme
    )
    context.set_default_timeout(10_000)
    return context


async def set_width(page: Page, width: int) -> None:
    """Resize a page already open (a context's mobile emulation stays as it was made)."""
    await page.set_viewport_size(viewport(width))


async def screenshot(
    page: Page, name: str, *, full_page: bool = True, add_width: bool = True
) -> Path:
    """Save the page as test-artifacts/screenshots/<name>-<width>px.png and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = (page.viewport_size or {}).get("width")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    path = SCREENSHOTS / (f"{stem}-{width}px.png" if width and add_width else f"{stem}.png")
    if full_page:  # from the top: a sticky header would be drawn where the page was scrolled
        await page.evaluate("window.scrollTo(0, 0)")
    await page.screenshot(path=str(path), full_page=full_page)
    return path


async def overflows_horizontally(page: Page) -> str:
    """What makes the page wider than the width its viewport was given (a phone user would
    scroll sideways), or "" when it fits. Measured against that width, not innerWidth: a
    mobile page widens its layout viewport to fit what sticks out, so innerWidth grows with
    the overflow and never shows it."""
    width = (page.viewport_size or {})["width"]
    return await page.evaluate(
        """w => {
            const wide = document.documentElement.scrollWidth;
            if (wide <= w) return "";
            const out = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .slice(-3).map(e => e.outerHTML.slice(0, 120));
            return `the page is ${wide}px wide at ${w}px: ${out.join(' | ')}`;
        }""",
        width,
    )
