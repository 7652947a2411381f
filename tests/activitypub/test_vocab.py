from __future__ import annotations

import pytest

from activitypub.vocab import AS_ACCEPT, is_activitypub_media_type


@pytest.mark.parametrize(
    "content_type",
    [
        "application/activity+json",
        "application/activity+json; charset=utf-8",
        "Application/Activity+JSON",
        'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        "application/ld+json; profile=https://www.w3.org/ns/activitystreams",
        'application/ld+json; charset=utf-8; profile="https://www.w3.org/ns/activitystreams"',
        'application/ld+json;profile="https://www.w3.org/ns/activitystreams";charset=utf-8',
    ],
)
def test_activitypub_media_types(content_type: str) -> None:
    assert is_activitypub_media_type(content_type) is True


@pytest.mark.parametrize(
    "content_type",
    [
        "application/ld+json",
        "application/ld+json; charset=utf-8",
        'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
        "text/html",
        "text/html; charset=utf-8",
        "application/json",
        "application/jrd+json",
        "",
        None,
    ],
)
def test_not_activitypub_media_types(content_type: str | None) -> None:
    assert is_activitypub_media_type(content_type) is False


def test_accept_header_names_both_types() -> None:
    parts = [part.strip() for part in AS_ACCEPT.split(",")]
    assert parts[0] == "application/activity+json"
    assert is_activitypub_media_type(AS_ACCEPT.split(", ", 1)[1])
