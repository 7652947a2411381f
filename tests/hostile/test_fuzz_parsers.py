"""Fuzzing what a stranger controls before any trust is established: the inbox body parser, the
note parser, both signature header parsers and the whole signature check. Each may accept or
refuse; the only refusals allowed are the declared ones, which the inbox turns into a 4xx.
Anything else escaping would be a 500 (and, in the worker, a crashed job)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activitypub.errors import InvalidObject
from activitypub.note import parse_note
from federation.signatures import rfc9421
from federation.signatures.cavage import ClockWindow, parse_signature_header
from federation.signatures.errors import SignatureError
from federation.signatures.verify import IncomingRequest, KeyHolder, verify_request
from inbox.receive import Refused, _parse

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = ("id", "type", "actor", "object", "to", "cc", "attributedTo", "content", "attachment")
KEYS += ("url", "href", "mediaType", "name", "tag", "published", "inReplyTo", "@context")
TYPES = ("Create", "Note", "Image", "Document", "Delete", "Follow", "Undo", "Announce", "Link")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(TYPES),
    st.sampled_from(["https://remote.example/users/x", "http://[::1]/", "acct:x@y", ""]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=8),
    ),
    max_leaves=40,
)
activity_like = st.fixed_dictionaries(
    {},
    optional={key: json_values for key in KEYS},
)


def assert_parsed_or_refused(body: bytes) -> None:
    try:
        _parse(body)
    except Refused as exc:
        assert 400 <= exc.status < 500 and exc.message


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_are_parsed_or_refused_with_a_4xx(body):
    assert_parsed_or_refused(body)


@FUZZ
@given(st.one_of(json_values, activity_like))
def test_any_json_is_parsed_or_refused_with_a_4xx(doc):
    assert_parsed_or_refused(json.dumps(doc).encode())


@FUZZ
@given(activity_like)
def test_any_object_is_a_note_or_an_invalid_object(doc):
    try:
        parse_note(doc)
    except InvalidObject:
        pass


sig_params = st.sampled_from(["keyId", "algorithm", "headers", "signature", "created", "x"])
sig_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["rsa-sha256", "hs2019", "(request-target) host date", "", "=="]),
    st.integers().map(str),
)
cavage_headers = st.one_of(
    st.text(max_size=300),
    st.lists(st.tuples(sig_params, sig_values), max_size=6).map(
        lambda pairs: ",".join(f'{k}="{v}"' for k, v in pairs)
    ),
)


@FUZZ
@given(cavage_headers)
def test_any_signature_header_is_parsed_or_refused(value):
    try:
        parse_signature_header(value)
    except SignatureError:
        pass


sf_members = st.sampled_from(['"@method"', '"@target-uri"', '"content-digest"', "1", "?1", "x"])
sf_params = st.sampled_from(
    ['keyid="k"', "created=1", 'created="1"', "expires=99999999999", 'alg="ed25519"', "keyid=1"]
)
signature_inputs = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda label, members, params: f"{label}=({' '.join(members)});{';'.join(params)}",
        st.sampled_from(["sig1", "a", "1x"]),
        st.lists(sf_members, max_size=5),
        st.lists(sf_params, max_size=4),
    ),
)


@FUZZ
@given(signature_inputs)
def test_any_signature_input_is_parsed_or_refused(value):
    request = IncomingRequest(
        "POST", "https://here.example/inbox", [("signature-input", value)], b""
    )
    try:
        rfc9421.parse_input(request)
    except SignatureError:
        pass


_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_PEM = (
    _KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


async def _lookup(key_id: str, refresh: bool) -> KeyHolder:
    """The resolver's answer for any key id: a real key (which signed nothing here)."""
    return KeyHolder(key_id, "https://remote.example/users/x", _PEM)


header_fields = st.lists(
    st.tuples(
        st.sampled_from(
            ["signature", "signature-input", "digest", "content-digest", "date", "host", "x"]
        ),
        st.one_of(cavage_headers, signature_inputs, st.text(max_size=60)),
    ),
    max_size=6,
)


@FUZZ
@given(header_fields, st.sampled_from(["GET", "POST", "post"]), st.binary(max_size=64))
def test_the_whole_signature_check_only_ever_refuses_with_a_signature_error(headers, method, body):
    request = IncomingRequest(method, "https://here.example/inbox?x=1", headers, body)
    window = ClockWindow(datetime(2026, 11, 24, tzinfo=UTC), 3900, 3600)
    try:
        asyncio.run(verify_request(request, _lookup, window))
    except SignatureError:
        pass
