from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from activitypub.errors import InvalidObject
from activitypub.timefmt import format_time, parse_time


def test_format_is_utc_second_precision_with_z() -> None:
    moment = datetime(2025, 3, 10, 14, 22, 5, 987_654, tzinfo=UTC)
    assert format_time(moment) == "2025-03-10T14:22:05Z"


def test_format_converts_offsets_to_utc() -> None:
    moment = datetime(2025, 3, 10, 16, 22, 5, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2025-03-10T14:22:05Z"


@pytest.mark.parametrize("text", ["2025-03-10T14:22:05Z", "1999-12-31T23:59:59Z"])
def test_round_trip(text: str) -> None:
    parsed = parse_time(text, "published")
    assert parsed is not None
    assert format_time(parsed) == text


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-10T14:22:05Z",
        "2025-03-10T14:22:05z",
        "2025-03-10T14:22:05+00:00",
        "2025-03-10T16:22:05+02:00",
        "2025-03-10T09:22:05-05:00",
        "2025-03-10T14:22:05.000Z",
        "2025-03-10T14:22:05.123456789Z",  # GoToSocial/Go nanoseconds
        " 2025-03-10T14:22:05Z ",
    ],
)
def test_parse_z_and_offsets(text: str) -> None:
    parsed = parse_time(text, "published")
    assert parsed is not None
    assert parsed.tzinfo is not None
    assert parsed.astimezone(UTC).replace(microsecond=0) == datetime(
        2025, 3, 10, 14, 22, 5, tzinfo=UTC
    )


def test_naive_is_taken_as_utc() -> None:
    parsed = parse_time("2025-03-10T14:22:05", "published")
    assert parsed == datetime(2025, 3, 10, 14, 22, 5, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


def test_absent_is_none() -> None:
    assert parse_time(None, "published") is None


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2025-13-40T00:00:00Z",
        "2025-03-10T25:00:00Z",
        1741616525,
        ["x"],
        "2025-03-10T14:22:05Z" + " " * 60,
    ],
)
def test_garbage_is_invalid_object(value: Any) -> None:
    with pytest.raises(InvalidObject, match="published"):
        parse_time(value, "published")
