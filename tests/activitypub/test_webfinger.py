from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from activitypub.errors import InvalidObject
from activitypub.vocab import AS_JSON, LD_JSON_AS
from activitypub.webfinger import (
    PROFILE_PAGE_REL,
    SUBSCRIBE_REL,
    Account,
    actor_id_from_jrd,
    build_host_meta,
    build_jrd,
    parse_account,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
XRD_NS = "{http://docs.oasis-open.org/ns/xri/xrd-1.0}"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize(
    ("text", "username", "domain"),
    [
        ("alice@mastodon.example", "alice", "mastodon.example"),
        ("@alice@mastodon.example", "alice", "mastodon.example"),
        ("acct:alice@mastodon.example", "alice", "mastodon.example"),
        ("  acct:alice@Mastodon.EXAMPLE  ", "alice", "mastodon.example"),
        ("alice@localhost:8443", "alice", "localhost:8443"),
        ("@carol@gts.example:3000", "carol", "gts.example:3000"),
    ],
)
def test_parse_account_variants(text: str, username: str, domain: str) -> None:
    account = parse_account(text)
    assert account == Account(username, domain)
    assert str(account) == f"{username}@{domain}"
    assert account.resource == f"acct:{username}@{domain}"


@pytest.mark.parametrize(
    "text",
    ["nobody", "a@b@c", "a@", "@a", "@", "", "acct:", "@b.example", "alice@host/path"],
)
def test_parse_account_refuses(text: str) -> None:
    with pytest.raises(InvalidObject, match="account handle"):
        parse_account(text)


def test_build_jrd() -> None:
    account = Account("mira", "art.example")
    jrd = build_jrd(account, "https://art.example/users/mira", "https://art.example/@mira")
    assert jrd["subject"] == "acct:mira@art.example"
    assert set(jrd["aliases"]) == {"https://art.example/@mira", "https://art.example/users/mira"}
    self_links = [link for link in jrd["links"] if link["rel"] == "self"]
    assert self_links == [
        {"rel": "self", "type": AS_JSON, "href": "https://art.example/users/mira"}
    ]
    assert AS_JSON == "application/activity+json"
    profile = [link for link in jrd["links"] if link["rel"] == PROFILE_PAGE_REL]
    assert profile == [
        {"rel": PROFILE_PAGE_REL, "type": "text/html", "href": "https://art.example/@mira"}
    ]
    assert not [link for link in jrd["links"] if link["rel"] == SUBSCRIBE_REL]
    assert actor_id_from_jrd(jrd) == "https://art.example/users/mira"


def test_build_jrd_with_subscribe_template() -> None:
    template = "https://art.example/authorize_interaction?uri={uri}"
    jrd = build_jrd(
        Account("m", "a.example"), "https://a.example/u/m", "https://a.example/@m", template
    )
    assert {"rel": SUBSCRIBE_REL, "template": template} in jrd["links"]


def test_actor_id_from_mastodon_jrd() -> None:
    assert (
        actor_id_from_jrd(load("webfinger_mastodon.json")) == "https://mastodon.example/users/alice"
    )


def test_actor_id_from_jrd_accepts_ld_json_profile() -> None:
    jrd = {"links": [{"rel": "self", "type": LD_JSON_AS, "href": "https://x.example/u/1"}]}
    assert actor_id_from_jrd(jrd) == "https://x.example/u/1"


def test_actor_id_from_jrd_skips_self_links_of_other_types() -> None:
    jrd = {
        "links": [
            {"rel": "self", "type": "text/html", "href": "https://x.example/@u"},
            {"rel": "self", "type": AS_JSON, "href": "https://x.example/users/u"},
        ]
    }
    assert actor_id_from_jrd(jrd) == "https://x.example/users/u"


@pytest.mark.parametrize(
    "jrd",
    [
        {"subject": "acct:a@x.example"},
        {"links": [{"rel": PROFILE_PAGE_REL, "type": "text/html", "href": "https://x.example/@a"}]},
        {"links": [{"rel": "self", "type": "text/html", "href": "https://x.example/@a"}]},
        {"links": [{"rel": "self", "type": "application/ld+json", "href": "https://x.example/a"}]},
        {"links": [{"rel": "self", "type": AS_JSON}]},
        {"links": [{"rel": "self", "type": AS_JSON, "href": ["https://x.example/a"]}]},
        ["not", "an", "object"],
    ],
)
def test_actor_id_from_jrd_refuses_without_as2_self_link(jrd: Any) -> None:
    with pytest.raises(InvalidObject):
        actor_id_from_jrd(jrd)


def test_actor_id_from_mastodon_jrd_without_self_link_is_refused() -> None:
    jrd = load("webfinger_mastodon.json")
    jrd["links"] = [link for link in jrd["links"] if link["rel"] != "self"]
    with pytest.raises(InvalidObject, match="self link"):
        actor_id_from_jrd(jrd)


def lrdd_template(xml_text: str) -> str:
    root = ET.fromstring(xml_text.encode())
    assert root.tag == f"{XRD_NS}XRD"
    links = root.findall(f"{XRD_NS}Link")
    assert [link.get("rel") for link in links] == ["lrdd"]
    template = links[0].get("template")
    assert template is not None
    return template


def test_build_host_meta_is_xml_with_lrdd_template() -> None:
    template = lrdd_template(build_host_meta("https://art.example"))
    assert template == "https://art.example/.well-known/webfinger?resource={uri}"


def test_build_host_meta_matches_mastodons() -> None:
    ours = lrdd_template(build_host_meta("https://mastodon.example"))
    theirs = lrdd_template((FIXTURES / "host-meta_mastodon.xml").read_text())
    assert ours == theirs


def test_build_host_meta_escapes_the_base_url() -> None:
    base = 'https://art.example/a&b"c<d'
    template = lrdd_template(build_host_meta(base))
    assert template == f"{base}/.well-known/webfinger?resource={{uri}}"


def test_the_subscribe_template_is_read_only_when_it_is_an_http_template_with_uri():
    from activitypub.webfinger import subscribe_template_from_jrd

    good = "https://mastodon.example/authorize_interaction?uri={uri}"
    assert (
        subscribe_template_from_jrd({"links": [{"rel": SUBSCRIBE_REL, "template": good}]}) == good
    )
    for bad in ("javascript:alert(1)//{uri}", "https://x.example/follow", 42):
        jrd = {"links": [{"rel": SUBSCRIBE_REL, "template": bad}]}
        assert subscribe_template_from_jrd(jrd) is None
    assert subscribe_template_from_jrd({"links": []}) is None
    assert subscribe_template_from_jrd(["not", "a", "jrd"]) is None
