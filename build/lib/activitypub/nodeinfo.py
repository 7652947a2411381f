"""NodeInfo 2.1 and its discovery document."""

from __future__ import annotations

from typing import Any

NODEINFO_21_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def build_nodeinfo_links(base_url: str) -> dict[str, Any]:
    return {"links": [{"rel": NODEINFO_21_SCHEMA, "href": f"{base_url}/nodeinfo/2.1"}]}


def build_nodeinfo(
    *,
    software: str,
    version: str,
    users: int,
    active_month: int,
    active_halfyear: int,
    local_posts: int,
    open_registrations: bool,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    return {
        "version": "2.1",
        "software": {"name": software, "version": version},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "usage": {
            "users": {
                "total": users,
                "activeMonth": active_month,
                "activeHalfyear": active_halfyear,
            },
            "localPosts": local_posts,
        },
        "openRegistrations": open_registrations,
        "metadata": metadata,
    }
