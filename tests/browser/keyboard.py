"""A keyboard user in Chromium: move the focus with Tab and check, at every stop, that a
sighted keyboard user can see where the focus is and a screen-reader user hears what it is.

The focus indicator is read from the computed style (cara.css draws a 3 px outline on
:focus-visible); an element with neither an outline nor a box-shadow while focused, one of no
size, or one outside the viewport (a skip link left off-screen) is a stop nobody can see.
"""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

# What the focused element looks like, for the assertion and for its message.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    what: `<${e.tagName.toLowerCase()}${e.id ? " id=" + e.id : ""}${
      e.getAttribute("href") ? " href=" + e.getAttribute("href") : ""}> ${
      (e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 60)}`,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    sized: box.width > 0 && box.height > 0,
    onScreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight,
  };
}"""

ANY_NAME = re.compile(r"\S")


async def focused_id(page: Page) -> str:
    return await page.evaluate("document.activeElement && document.activeElement.id")


async def is_focused(page: Page, selector: str) -> bool:
    return await page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


async def assert_focus_visible(page: Page) -> str:
    """The focused element shows a focus indicator, is on screen and has an accessible name;
    returns a short description of it."""
    focused = await page.evaluate(_FOCUSED)
    assert focused is not None, "the focus left the page's controls (it is on the body)"
    what = focused["what"]
    assert focused["outline"] or focused["shadow"], f"no visible focus indicator on {what}"
    assert focused["sized"] and focused["onScreen"], f"the focused {what} is not on screen"
    await expect(page.locator(":focus"), f"{what} has no accessible name").to_have_accessible_name(
        ANY_NAME
    )
    return what


async def tab_to(page: Page, selector: str, *, key: str = "Tab", limit: int = 40) -> list[str]:
    """Press `key` (Tab or Shift+Tab) until the element matching `selector` has the focus,
    checking the focus indicator at every stop on the way; returns the stops passed."""
    stops = []
    for _ in range(limit):
        await page.keyboard.press(key)
        stops.append(await assert_focus_visible(page))
        if await is_focused(page, selector):
            return stops
    raise AssertionError(f"{key} never reached {selector}; it passed {stops}")


async def type_sign_in(page: Page, name: str, password: str) -> None:
    """Fill the sign-in form as a keyboard user: the name field has the focus on arrival, Tab
    moves to the password, Enter sends the form. (Chromium gives the autofocus at its next
    rendering after the load, so the first check waits for it.)"""
    await expect(page.locator("#username")).to_be_focused()
    await page.keyboard.type(name)
    await page.keyboard.press("Tab")
    assert await focused_id(page) == "password"
    await page.keyboard.type(password)
    await page.keyboard.press("Enter")


async def sign_in(page: Page, site, name: str, password: str) -> None:
    """Sign in at `site` with the keyboard alone and land on the home page."""
    await page.goto(f"{site.base_url}/login")
    await type_sign_in(page, name, password)
    await page.wait_for_url(f"{site.base_url}/home")


def catch_file_choosers(page: Page) -> None:
    """Have Chromium hand this page's file choosers to the test from now on; call it before
    the page is loaded. Playwright turns the interception on without waiting for it when a
    first listener is added (and off when the last goes), so a chooser opened right after
    `expect_file_chooser()` can beat it and is missed (7 of 40 in a trial on a busy machine;
    0 of 40 with this). A listener held for the page's life settles it long before Space."""
    page.on("filechooser", lambda chooser: None)


async def choose_file(page: Page, path: str) -> None:
    """Open the focused file input's chooser with Space, as a keyboard user does, and pick
    `path` in it (after catch_file_choosers(page))."""
    async with page.expect_file_chooser() as chooser:
        await page.keyboard.press("Space")
    await (await chooser.value).set_files(path)
