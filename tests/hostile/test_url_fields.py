"""URL-valued fields from other servers (issue 18, item 2), against a running instance: an
activity pointing at a `javascript:` (or any non-http) object is refused before anything is
stored; an actor's `url` and `icon` that are not http(s) are dropped, and no page links them."""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.attacker import Attacker
from tests.web_client import add_member, signed_in

EVIL = "javascript:alert(document.cookie)"


@pytest.fixture(scope="module")
def site(make_module_instance):
    a = make_module_instance("a")
    add_member(a, "alice")
    a.cli("user", "edit", "alice", "--approve-followers")  # the follow waits on her page
    return a


def _send(site, attacker: Attacker, actor: str, activity: dict) -> httpx.Response:
    return attacker.post(f"{site.base_url}/users/alice/inbox", actor, activity)


def _stored(site, actor: str) -> list[tuple]:
    return site.query(
        "SELECT (SELECT count(*) FROM inbound_activities WHERE actor_uri = ?),"
        " (SELECT count(*) FROM interactions)",
        actor,
    )


@pytest.mark.parametrize("kind", ["Like", "Announce"])
@pytest.mark.parametrize("target", [EVIL, "data:text/html,<b>x</b>", {"id": EVIL}])
def test_an_activity_about_a_non_http_object_is_refused(site, attacker, kind, target):
    actor = attacker.actor("mallory")
    before = _stored(site, actor)
    activity = {
        "id": f"{actor}#{kind}-{len(str(target))}",
        "type": kind,
        "object": target,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }
    response = _send(site, attacker, actor, activity)
    assert response.status_code == 400, response.text
    assert "activity object must be an absolute http(s) URL" in response.json()["error"]
    assert _stored(site, actor) == before


def test_an_actors_non_http_url_and_icon_are_dropped_and_never_linked(site, attacker):
    actor = attacker.actor(
        "dora",
        name="Dora",
        url=EVIL,
        icon={"type": "Image", "url": "data:image/svg+xml,<svg onload=alert(1)>"},
        image={"type": "Image", "url": "vbscript:msgbox(1)"},
    )
    follow = {
        "id": f"{actor}#follows/1",
        "type": "Follow",
        "object": f"{site.base_url}/users/alice",
    }
    assert _send(site, attacker, actor, follow).status_code == 202
    rows = site.query("SELECT url, icon_url, image_url FROM actors WHERE uri = ?", actor)
    assert rows == [(None, None, None)]
    page = signed_in(site, "alice").get("/follow-requests")
    assert (page.status_code == 200 and "Dora" in page.text) or actor in page.text
    assert "javascript:" not in page.text and "data:image" not in page.text
