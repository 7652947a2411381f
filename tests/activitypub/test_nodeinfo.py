from __future__ import annotations

import json
from pathlib import Path

from activitypub.nodeinfo import NODEINFO_21_SCHEMA, build_nodeinfo, build_nodeinfo_links

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_nodeinfo_links_point_at_the_2_1_document() -> None:
    doc = build_nodeinfo_links("https://art.example")
    assert doc == {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": "https://art.example/nodeinfo/2.1",
            }
        ]
    }
    assert NODEINFO_21_SCHEMA.endswith("/2.1")


def test_nodeinfo_2_1_document_shape() -> None:
    doc = build_nodeinfo(
        software="cara-fed",
        version="0.1.0",
        users=3,
        active_month=2,
        active_halfyear=3,
        local_posts=41,
        open_registrations=False,
        metadata={"nodeName": "Cara"},
    )
    assert doc["version"] == "2.1"
    assert doc["software"] == {"name": "cara-fed", "version": "0.1.0"}
    assert doc["protocols"] == ["activitypub"]
    assert doc["services"] == {"inbound": [], "outbound": []}
    assert doc["usage"] == {
        "users": {"total": 3, "activeMonth": 2, "activeHalfyear": 3},
        "localPosts": 41,
    }
    assert doc["openRegistrations"] is False
    assert doc["metadata"] == {"nodeName": "Cara"}


def test_nodeinfo_has_the_keys_mastodon_serves() -> None:
    mastodon = json.loads((FIXTURES / "nodeinfo_mastodon.json").read_text())
    ours = build_nodeinfo(
        software="cara-fed",
        version="0.1.0",
        users=1,
        active_month=1,
        active_halfyear=1,
        local_posts=0,
        open_registrations=True,
        metadata={},
    )
    assert set(ours) == set(mastodon)
    assert set(ours["usage"]) == set(mastodon["usage"])
    assert set(ours["usage"]["users"]) == set(mastodon["usage"]["users"])
