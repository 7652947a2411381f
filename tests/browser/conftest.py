"""Fixtures of the browser tests: one Chromium per test process (xdist worker), a fresh
context and page per test, and a screenshot of the page of any test that fails.

The browser lives in pytest-asyncio's session-scoped event loop, so every test in this
directory runs in that loop (marked so below); the other tests keep a loop of their own.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright
from pytest_asyncio import is_async_test

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, DESKTOP, new_context, screenshot

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    in_session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and HERE in item.path.parents:
            item.add_marker(in_session_loop, append=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup test` to install chromium")
    started = time.monotonic()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        print(f"\nChromium {chromium.version} up in {time.monotonic() - started:.2f} s")
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
def width() -> int:
    """The page's width in CSS pixels; a test parametrizes `width` to run at others."""
    return DESKTOP


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser, width: int, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    context = await new_context(browser, width)
    page = await context.new_page()
    try:
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed and not page.is_closed():
            await screenshot(page, f"FAILED-{request.node.name}", add_width=False)
    finally:
        await context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
