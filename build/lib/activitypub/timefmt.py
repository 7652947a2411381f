"""ActivityStreams timestamps: xsd:dateTime in UTC, second precision, with a Z."""

from __future__ import annotations

from datetime import UTC, datetime

from activitypub.errors import InvalidObject


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: object, what: str) -> datetime | None:
    """A tz-aware datetime, None when absent; naive timestamps are taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidObject(f"{what} must be an ISO 8601 date-time string")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidObject(f"{what} is not an ISO 8601 date-time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
