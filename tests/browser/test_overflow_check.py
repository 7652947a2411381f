"""The browser tests' sideways-scroll check (chromium.overflows_horizontally) catches a page
wider than a phone: it used to compare with innerWidth, which a mobile page widens to fit what
sticks out, so on a phone it never fired."""

from __future__ import annotations

from tests.browser.chromium import PHONE, new_context, overflows_horizontally

PAGE = """<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
<body style="margin:0"><p>text</p>{extra}</body>"""


async def test_a_page_wider_than_a_phone_is_caught_and_one_that_fits_is_not(browser):
    context = await new_context(browser, PHONE)
    page = await context.new_page()
    try:
        await page.set_content(PAGE.format(extra='<pre style="width:623px">a long line</pre>'))
        assert await page.evaluate("window.innerWidth") > PHONE  # the layout widened
        found = await overflows_horizontally(page)
        assert "623px wide at 390px" in found and "<pre" in found
        await page.set_content(PAGE.format(extra="<pre>short</pre>"))
        assert await overflows_horizontally(page) == ""
    finally:
        await context.close()
