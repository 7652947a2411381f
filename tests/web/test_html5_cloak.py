"""The pages where an artist decides and sees the cloak are valid HTML5 (Nu Html Checker):
the upload form with its strengths, a refused choice, the cloak page while cloaking and when
done (both images, the crops, the measurements), the edit page with the measurements and the
cloak form, and the profile's "check the cloak first" choice. One real cloak, two steps."""

from __future__ import annotations

from tests.conftest import artwork
from tests.e2e.test_cloak_publishing import FAST_CLOAK, JOB_TIMEOUT
from tests.instances import wait_for
from tests.web.html5 import assert_valid_html
from tests.web.test_html5 import html
from tests.web_client import add_member, signed_in, submit


def test_the_cloak_pages_are_valid_html5(make_instance):
    site = make_instance("cloak-pages", cloak_config=FAST_CLOAK)
    add_member(site, "alice")
    site.cli("user", "edit", "alice", "--cloak-review")
    alice = signed_in(site, "alice")
    pages = {
        "/upload": html(alice, "/upload"),
        "/settings/profile": html(alice, "/settings/profile"),
    }
    assert 'value="check" checked' in pages["/settings/profile"]
    files = {"image1": ("w.png", artwork(160, 120, seed=3, fmt="PNG"), "image/png")}
    fields = {"alt1": 'a "quoted" <alt> & text', "title": "Sky & <sea>"}
    refused = submit(alice, "/upload", "/upload", {**fields, "cloak_strength": "max"}, files)
    assert refused.status_code == 400
    pages["/upload (refused strength)"] = refused.text
    # How the work was made, for its Content Credentials: one of three, never "generated".
    assert '<option value="digital" selected>' in pages["/upload"]
    refused = submit(alice, "/upload", "/upload", {**fields, "made_as": "generated"}, files)
    assert refused.status_code == 400 and "digital, photo, scan" in refused.text
    assert site.query("SELECT count(*) FROM posts") == [(0,)]
    made = submit(
        alice, "/upload", "/upload", {**fields, "cloak_strength": "low", "made_as": "photo"}, files
    )
    assert site.query("SELECT made_as FROM posts") == [("photo",)]
    cloak_page = made.headers["location"]
    pages["cloak page (cloaking)"] = html(alice, cloak_page)
    assert "being cloaked" in pages["cloak page (cloaking)"]
    wait_for(
        lambda: site.query("SELECT cloak_state FROM media_attachments") == [("done",)],
        JOB_TIMEOUT,
        1.0,
        "the cloak",
    )
    pages["cloak page (done)"] = html(alice, cloak_page)
    pages["/@alice (a work waiting)"] = html(alice, "/@alice")
    assert "Not public yet" in pages["/@alice (a work waiting)"]
    assert "Publish" in pages["cloak page (done)"] and "PSNR" in pages["cloak page (done)"]
    edit = cloak_page.replace("/cloak", "/edit")
    pages["edit page"] = html(alice, edit)
    assert "Changed pixels by at most" in pages["edit page"]
    again = submit(alice, cloak_page, cloak_page, {"cloak_strength": "max"})
    assert again.status_code == 400
    pages["cloak page (refused strength)"] = again.text
    # The artist's default declaration, from the profile form (the last step: the form sets
    # every other setting too).
    saved = submit(alice, "/settings/profile", "/settings/profile", {"made_as": "scan"})
    assert saved.status_code == 303
    assert site.query("SELECT made_as FROM actors WHERE username = 'alice'") == [("scan",)]
    assert '<option value="scan" selected>' in html(alice, "/upload")
    assert_valid_html(pages)
