"""A member who uses no mouse at all: Tab and Shift+Tab to move, Enter and Space to act, typing
to fill; a file input's chooser opened with Space. Upload a work of two images, arrange an
album, edit the profile, approve a follow request and open a work behind a content warning.

Every Tab stop passed on the way must show where the focus is (cara.css: a 3 px outline on
:focus-visible), be on screen and have an accessible name (tests/browser/keyboard.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.browser.chromium import DESKTOP, PHONE, overflows_horizontally, screenshot
from tests.browser.keyboard import catch_file_choosers, choose_file, sign_in, tab_to
from tests.conftest import artwork
from tests.instances import Instance, wait_for
from tests.web_client import PASSWORD, add_member, signed_in, submit

WORK_URL = re.compile(r".*/@ines/\d+$")
FOLLOWS_OF_INES = (
    "SELECT f.state FROM follows f JOIN actors a ON a.id = f.followee_id WHERE a.username = 'ines'"
)


@dataclass
class Site:
    home: Instance
    files: Path
    album_id: int
    warned_url: str


def upload_file(files: Path, number: int) -> tuple[str, bytes, str]:
    """Image `number` as httpx sends a form's file field."""
    return (f"{number}.jpg", (files / f"{number}.jpg").read_bytes(), "image/jpeg")


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory) -> Site:
    """Ines on `home`, approving followers by hand, with an album of three works (Fox, Heron,
    Moss) and a work behind a content warning; made through the web forms over HTTP, which
    is quicker than the CLI (a process each)."""
    home = make_module_instance("home")
    add_member(home, "ines")
    files = tmp_path_factory.mktemp("uploads")
    for n, (w, h) in enumerate([(300, 200), (150, 250), (240, 240), (320, 180)], 1):
        (files / f"{n}.jpg").write_bytes(artwork(w, h, seed=n * 7))
    ines = signed_in(home, "ines")
    profile = {"display_name": "Ines", "manually_approves_followers": "1"}
    assert submit(ines, "/settings/profile", "/settings/profile", profile).status_code == 303
    made = submit(ines, "/albums", "/albums", {"title": "Birds"})
    album_id = int(made.headers["location"].rsplit("/", 1)[1])
    for n, title in ((1, "Fox"), (2, "Heron"), (3, "Moss")):
        work = {"title": title, "alt1": f"{title} study", "album": str(album_id)}
        made = submit(ines, "/upload", "/upload", work, files={"image1": upload_file(files, n)})
        assert made.status_code == 303, made.text
    work = {"title": "Storm", "alt1": "a storm over the sea", "content_warning": "flashing light"}
    made = submit(ines, "/upload", "/upload", work, files={"image1": upload_file(files, 4)})
    assert made.status_code == 303, made.text
    return Site(home, files, album_id, made.headers["location"])


@pytest.fixture(scope="module")
def follow_request(site: Site, make_module_instance) -> Instance:
    """Kai, on another instance, has asked to follow Ines; returns Kai's instance."""
    elsewhere = make_module_instance("elsewhere")
    add_member(elsewhere, "kai")
    asked = {"account": f"ines@{site.home.domain}"}
    assert submit(signed_in(elsewhere, "kai"), "/home", "/follow", asked).status_code == 303
    wait_for(lambda: site.home.query(FOLLOWS_OF_INES) == [("pending",)], what="Kai's request")
    return elsewhere


async def type_into(page: Page, selector: str, text: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.type(text)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=lambda w: f"{w}px")
async def test_upload_a_work_of_two_images(site: Site, page: Page, width: int):
    catch_file_choosers(page)
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(f"{site.home.base_url}/upload")
    title = f"Two studies at {width}"
    await type_into(page, "#title", title)
    await type_into(page, "#tags", "ink")
    alts = ["a red fox in snow", "a tall grey heron"]
    for slot, alt in enumerate(alts, 1):
        await tab_to(page, f"#image{slot}")
        await choose_file(page, str(site.files / f"{slot}.jpg"))
        await type_into(page, f"#alt{slot}", alt)
    # From the second alt text, Tab passes the six empty slots left to reach Publish.
    await tab_to(page, "form#upload button[type=submit]")
    assert not await overflows_horizontally(page)
    await page.keyboard.press("Enter")
    await page.wait_for_url(WORK_URL)
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    images = page.locator("figure.work-image img")
    assert await images.evaluate_all("els => els.map(e => e.alt)") == alts
    await expect(page.get_by_role("link", name="#ink")).to_be_visible()
    assert not await overflows_horizontally(page)
    await screenshot(page, "keyboard-uploaded-work")


async def test_move_a_work_up_in_an_album(site: Site, page: Page):
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(f"{site.home.base_url}/albums/{site.album_id}")
    titles = page.locator("#album-items .item-title")
    await expect(titles).to_have_text(["Fox", "Heron", "Moss"])
    await tab_to(page, "button[aria-label='Move up: Moss']")
    await page.keyboard.press("Enter")
    await expect(titles).to_have_text(["Fox", "Moss", "Heron"])
    # The page comes back at the moved work: the next Tab is its own Move up again, not the
    # site navigation at the top.
    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_attribute("aria-label", "Move up: Moss")
    album = f"{site.home.base_url}/@ines/albums/{site.album_id}"
    await page.goto(album)
    await expect(page.locator(".tile .caption")).to_have_text(["Fox", "Moss", "Heron"])


async def test_reorder_a_works_images_on_its_edit_page(site: Site, page: Page):
    ines = signed_in(site.home, "ines")
    work = {"title": "Pair", "alt1": "the first heron", "alt2": "the second heron"}
    files = {"image1": upload_file(site.files, 1), "image2": upload_file(site.files, 2)}
    made = submit(ines, "/upload", "/upload", work, files=files)
    assert made.status_code == 303, made.text
    post_id = made.headers["location"].rsplit("/", 1)[1]
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(f"{site.home.base_url}/works/{post_id}/edit")
    shown = page.locator("#work-images img")
    assert await shown.evaluate_all("els => els.map(e => e.alt)") == [
        "the first heron",
        "the second heron",
    ]
    await tab_to(page, "button[aria-label='Move earlier: image 2']")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r".*/edit#image-\d+$"))
    assert await shown.evaluate_all("els => els.map(e => e.alt)") == [
        "the second heron",
        "the first heron",
    ]
    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_attribute("aria-label", "Move later: image 1")
    await page.goto(f"{site.home.base_url}/@ines/{post_id}")
    figures = page.locator("figure.work-image img")
    assert await figures.evaluate_all("els => els.map(e => e.alt)") == [
        "the second heron",
        "the first heron",
    ]


async def replace_text(page: Page, text: str) -> None:
    """Type over the whole value of the focused field."""
    await page.keyboard.press("ControlOrMeta+A")
    await page.keyboard.type(text)


async def test_change_the_bio_and_name(site: Site, page: Page):
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(f"{site.home.base_url}/settings/profile")
    await tab_to(page, "#bio")
    await replace_text(page, "Ink and watercolour, mostly birds.")
    # Back up a field to the name, then on to Save past the links, both file inputs and the
    # approval checkbox.
    await tab_to(page, "#display_name", key="Shift+Tab")
    await replace_text(page, "Ines Varga")
    await tab_to(page, "form[action='/settings/profile'] button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Saved.")
    await page.goto(f"{site.home.base_url}/@ines")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ines Varga")
    await expect(page.locator(".bio")).to_have_text("Ink and watercolour, mostly birds.")


async def test_approve_a_follow_request(site: Site, follow_request: Instance, page: Page):
    elsewhere = follow_request
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(f"{site.home.base_url}/follow-requests")
    requests = page.locator("ul.requests")
    await expect(requests).to_contain_text(f"@kai@{elsewhere.domain}")
    await tab_to(page, f"button[aria-label='Approve @kai@{elsewhere.domain}']")
    await page.keyboard.press("Enter")
    await expect(requests).to_have_text("No pending requests.")
    assert site.home.query(FOLLOWS_OF_INES) == [("accepted",)]
    wait_for(
        lambda: elsewhere.query("SELECT state FROM follows") == [("accepted",)],
        what="Kai's server to learn of the approval",
    )


async def test_open_a_work_behind_a_content_warning(site: Site, page: Page):
    await sign_in(page, site.home, "ines", PASSWORD)
    await page.goto(site.warned_url)
    image = page.locator("figure.work-image img")
    await expect(image).to_be_hidden()
    await tab_to(page, "details.cw > summary")
    await page.keyboard.press("Enter")
    await expect(page.locator("details.cw")).to_have_attribute("open", "")
    await expect(image).to_be_visible()
    await expect(image).to_have_attribute("alt", "a storm over the sea")
    await expect(page.locator("img.blurred")).to_be_hidden()
