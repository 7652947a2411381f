"""The no-AI policy on a running instance: headers on every kind of response (the image's own
above all), HTML meta, the crawler files, refusal of AI crawlers, XMP in served images, the
ActivityPub properties, NodeInfo, and a remote author's own signal kept."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from PIL import Image

from cloak.xmp import DMI_PROHIBITED_AIML
from tests.e2e.crafted import create_note, post_signed
from tests.inbox.screening import images as img
from tests.instances import wait_for

AS = {"Accept": "application/activity+json"}
GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)"


@pytest.fixture(scope="module")
def site(make_module_instance, tmp_path_factory):
    a = make_module_instance("a")
    b = make_module_instance("b")
    a.cli("user", "add", "ana", "--display-name", "Ana Lima")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "ana", f"bob@{b.domain}").stdout
    folder = tmp_path_factory.mktemp("art")
    jpeg, png = folder / "w.jpg", folder / "w.png"
    jpeg.write_bytes(img.encode(img.photo("coffee"), "JPEG"))
    png.write_bytes(img.encode(img.photo("chelsea"), "PNG"))
    avatar = folder / "a.png"
    avatar.write_bytes(img.encode(img.photo("astronaut").resize((128, 128)), "PNG"))
    a.cli("user", "edit", "ana", "--avatar", str(avatar))
    page = a.cli(
        "post", "ana", "--image", str(jpeg), "--alt", "cup", "--image", str(png), "--alt", "cat"
    ).stdout.strip()
    return a, b, page


def noai(response: httpx.Response) -> None:
    assert response.headers["x-robots-tag"] == "noai, noimageai"
    assert response.headers["tdm-reservation"] == "1"


def test_every_kind_of_response_carries_the_headers(site):
    a, _, page = site
    actor = httpx.get(f"{a.base_url}/users/ana", headers=AS).json()
    note = httpx.get(page, headers=AS).json()
    responses = [
        httpx.get(f"{a.base_url}/"),
        httpx.get(page),
        httpx.get(f"{a.base_url}/@ana"),
        httpx.get(f"{a.base_url}/users/ana", headers=AS),
        httpx.get(page, headers=AS),
        httpx.get(actor["icon"]["url"]),
        *(httpx.get(att["url"]) for att in note["attachment"]),
    ]
    for response in responses:
        assert response.status_code == 200, response.url
        noai(response)


def test_html_carries_the_meta_tags(site):
    _, _, page = site
    html = httpx.get(page).text
    assert '<meta name="robots" content="noai, noimageai">' in html
    assert '<meta name="tdm-reservation" content="1">' in html


def test_crawler_files_are_served_and_ai_crawlers_are_refused(site):
    a, _, page = site
    robots = httpx.get(f"{a.base_url}/robots.txt", headers={"User-Agent": GPTBOT})
    assert robots.status_code == 200 and "User-agent: GPTBot\nDisallow: /" in robots.text
    assert httpx.get(f"{a.base_url}/ai.txt").text.startswith("# Spawning AI")
    assert (
        json.loads(httpx.get(f"{a.base_url}/.well-known/tdmrep.json").text)[0]["tdm-reservation"]
        == 1
    )
    note = httpx.get(page, headers=AS).json()
    for url in (page, note["attachment"][0]["url"], f"{a.base_url}/@ana"):
        assert httpx.get(url, headers={"User-Agent": GPTBOT}).status_code == 403
        assert httpx.get(url, headers={"User-Agent": "Googlebot/2.1"}).status_code == 200


def test_served_images_carry_the_rights_xmp(site):
    _, _, page = site
    note = httpx.get(page, headers=AS).json()
    for att in note["attachment"]:
        served = Image.open(io.BytesIO(httpx.get(att["url"]).content))
        xmp = served.info.get("xmp") or served.info.get("XML:com.adobe.xmp")
        xmp = xmp.decode() if isinstance(xmp, bytes) else xmp
        assert DMI_PROHIBITED_AIML in xmp
        assert "Ana Lima" in xmp and "Not to be used to train AI models" in xmp


def test_activitypub_and_nodeinfo_state_the_policy(site):
    a, _, page = site
    assert httpx.get(f"{a.base_url}/users/ana", headers=AS).json()["indexable"] is False
    note = httpx.get(page, headers=AS).json()
    assert note["xRobotsTag"] == "noai, noimageai"
    assert "xRobotsTag" in note["@context"][2]
    info = httpx.get(f"{a.base_url}/nodeinfo/2.1").json()
    assert info["metadata"]["aiTrainingPolicy"]["allowed"] is False


def test_a_remote_authors_signal_is_kept_and_shown(site):
    a, b, _ = site
    activity = create_note(f"{b.base_url}/users/bob", content="<p>mine, not for training</p>")
    activity["object"]["xRobotsTag"] = "noai"
    assert post_signed(a, b, "bob", activity).status_code == 202
    [entry] = wait_for(
        lambda: [e for e in a.timeline("ana") if e["uri"] == activity["object"]["id"]],
        what="bob's post",
    )
    assert entry["x_robots_tag"] == "noai"


def test_the_policy_can_be_turned_off(make_instance):
    quiet = make_instance(
        "quiet", extra_config="[policy]\nadvertise_noai = false\nblock_ai_crawlers = false\n"
    )
    response = httpx.get(f"{quiet.base_url}/", headers={"User-Agent": GPTBOT})
    assert response.status_code == 200 and "x-robots-tag" not in response.headers
    assert 'name="robots"' not in response.text
