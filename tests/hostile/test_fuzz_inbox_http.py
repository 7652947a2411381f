"""The same fuzzing over real HTTP: random bodies and signature headers POSTed to a running
instance's inboxes. Every answer is a 4xx with a message (none of these can be signed by a
key the instance can fetch), never a 500, and nothing is stored."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.test_fuzz_parsers import (
    activity_like,
    cavage_headers,
    json_values,
    signature_inputs,
)

HTTP_FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

bodies = st.one_of(
    st.binary(max_size=500),
    st.one_of(json_values, activity_like).map(lambda doc: json.dumps(doc).encode()),
)
CONTROL = bytes(range(32)) + b"\x7f"


def wire(value: str) -> bytes:
    """A header value as it can go on the wire (h11 refuses the rest before sending): latin-1,
    control characters replaced, no surrounding whitespace."""
    raw = value.encode("latin-1", "replace")
    return raw.translate(bytes.maketrans(CONTROL, b"?" * len(CONTROL))).strip()


header_text = st.one_of(cavage_headers, signature_inputs).map(wire)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Signature": header_text,
        "Signature-Input": header_text,
        "Digest": st.sampled_from([b"SHA-256=abc", b"sha-256=", b"MD5=x", b""]),
        "Content-Type": st.sampled_from(
            [b"application/activity+json", b"application/json", b"text/plain", b""]
        ),
        "Date": st.sampled_from([b"Tue, 24 Nov 2026 12:00:00 GMT", b"yesterday", b""]),
    },
)


@pytest.fixture(scope="module")
def target(make_module_instance):
    instance = make_module_instance("fuzzed")
    instance.cli("user", "add", "ana")
    with httpx.Client(base_url=instance.base_url, timeout=10) as client:
        yield instance, client


@HTTP_FUZZ
@given(bodies, headers, st.sampled_from(["/inbox", "/users/ana/inbox"]))
def test_random_requests_get_a_4xx_never_a_500(target, body, fields, path):
    _, client = target
    response = client.post(path, content=body, headers=fields)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.text


def test_and_nothing_was_stored(target):
    instance, _ = target
    assert instance.query("SELECT count(*) FROM inbound_activities") == [(0,)]
    assert instance.query("SELECT count(*) FROM actors WHERE local = FALSE") == [(0,)]
