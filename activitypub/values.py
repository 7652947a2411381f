"""Reading the loose value shapes ActivityStreams allows (string, object or list of either)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from activitypub.errors import InvalidObject
from activitypub.vocab import PUBLIC, PUBLIC_ALIASES

MAX_URI_LENGTH = 2048


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def id_of(value: Any) -> str | None:
    """The id of a reference that may be a bare IRI, an object with `id`, or a Link's `href`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("id", "href"):
            if isinstance(value.get(key), str):
                return value[key]
    return None


def require_uri(value: Any, what: str) -> str:
    """An absolute http(s) IRI, or InvalidObject naming `what`."""
    uri = id_of(value)
    if not uri:
        raise InvalidObject(f"{what} is missing or not an IRI")
    if len(uri) > MAX_URI_LENGTH:
        raise InvalidObject(f"{what} is longer than {MAX_URI_LENGTH} characters")
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise InvalidObject(f"{what} is not a valid URL: {uri!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidObject(f"{what} must be an absolute http(s) URL, got {uri!r}")
    return uri


def http_uri_or_none(value: Any) -> str | None:
    """For fields we can do without (an actor's `url` or `icon`, a post's `url`): the IRI
    if it is an absolute http(s) one, else None: the field is dropped, the document kept."""
    try:
        return require_uri(value, "url") if value is not None else None
    except InvalidObject:
        return None


def optional_uri(value: Any, what: str) -> str | None:
    return None if value is None else require_uri(value, what)


def uris(value: Any, what: str) -> list[str]:
    """Every IRI in an addressing field, the compacted Public spellings normalised to the full
    IRI; entries that are not IRIs are an error."""
    return [PUBLIC if v in PUBLIC_ALIASES else require_uri(v, what) for v in as_list(value)]


def origin(uri: str) -> str:
    """scheme://host[:port], the unit of trust: an object is trusted only from its origin."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}".lower()


def host_of(uri: str) -> str:
    return urlsplit(uri).netloc.lower()


def optional_str(value: Any, what: str, max_length: int = 100_000) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidObject(f"{what} must be a string")
    if len(value) > max_length:
        raise InvalidObject(f"{what} is longer than {max_length} characters")
    return value


def optional_int(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidObject(f"{what} must be a number")
    if value < 0 or value > 1_000_000:
        raise InvalidObject(f"{what} is out of range")
    return int(value)


def first_type(obj: dict[str, Any]) -> str:
    """The object's type; for a list of types, the first ActivityStreams one."""
    types = [t for t in as_list(obj.get("type")) if isinstance(t, str)]
    if not types:
        raise InvalidObject("object has no type")
    return types[0]
