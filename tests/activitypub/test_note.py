from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from activitypub.errors import InvalidObject
from activitypub.note import (
    MAX_ATTACHMENTS,
    Attachment,
    Note,
    build_attachment,
    build_note,
    parse_attachment,
    parse_note,
)
from activitypub.vocab import AS_NS, PUBLIC

FIXTURES = Path(__file__).parents[1] / "fixtures"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def mastodon_note() -> dict[str, Any]:
    return load("mastodon_note_with_image.json")["object"]


def gts_note() -> dict[str, Any]:
    return load("gotosocial_note_with_image.json")["object"]


def minimal_note(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "https://remote.example/notes/1",
        "type": "Note",
        "attributedTo": "https://remote.example/users/bob",
        "content": "<p>hi</p>",
        "to": [PUBLIC],
    }
    doc.update(extra)
    return doc


def image(url: str = "https://remote.example/media/1.png", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": "Image", "mediaType": "image/png", "url": url}
    doc.update(extra)
    return doc


# --- real shapes -----------------------------------------------------------------------------


def test_parse_mastodon_note() -> None:
    note = parse_note(mastodon_note())

    assert note.id == "https://mastodon.example/users/alice/statuses/113456789012345678"
    assert note.attributed_to == "https://mastodon.example/users/alice"
    assert note.url == "https://mastodon.example/@alice/113456789012345678"
    assert note.content.startswith("<p>New portrait of Miso")
    assert note.summary == "cat eyes (eye contact)"
    assert note.sensitive is True
    assert note.in_reply_to is None
    assert note.published == datetime(2025, 3, 10, 14, 22, 5, tzinfo=UTC)
    assert note.updated is None
    assert note.to == [PUBLIC]
    assert note.cc == [
        "https://mastodon.example/users/alice/followers",
        "https://remote.example/users/bob",
    ]
    assert note.attachments == [
        Attachment(
            url=(
                "https://mastodon.example/system/media_attachments/files/113/456/788/900/000/"
                "111/original/3c9a1f2e7b6d5c40.jpg"
            ),
            media_type="image/jpeg",
            name="Close-up of a black cat with yellow eyes staring into the camera",
            width=1600,
            height=1200,
            blurhash="UDAK6z~q00IU9FRj%MRj00M{-;%MxuWBRjt7",
            focal_point=(-0.12, 0.34),
            type="Document",
        )
    ]


def test_parse_gotosocial_note_with_bare_string_to_and_alt_in_summary() -> None:
    doc = gts_note()
    assert isinstance(doc["to"], str)
    note = parse_note(doc)

    assert note.id == "https://gts.example/users/carol/statuses/01JNXQ4T8V2W5Y7Z9A1B3C5D7E"
    assert note.attributed_to == "https://gts.example/users/carol"
    assert note.to == [PUBLIC]
    assert note.cc == [
        "https://gts.example/users/carol/followers",
        "https://remote.example/users/bob",
    ]
    assert note.summary == "fox photo"
    assert note.sensitive is True
    assert len(note.attachments) == 1
    att = note.attachments[0]
    assert att.type == "Image"
    assert att.media_type == "image/jpeg"
    assert att.name == "A red fox curled up asleep in tall grass"
    assert att.blurhash == "LKO2?U%2Tw=w]~RBVZRi};RPxuwH"
    assert att.focal_point == (0.25, -0.1)
    # GtS sends no width/height.
    assert att.width is None and att.height is None


def test_parse_mastodon_updated_note_reads_updated() -> None:
    note = parse_note(load("mastodon_update_note.json")["object"])
    assert note.updated == datetime(2025, 3, 10, 15, 1, 33, tzinfo=UTC)


def test_content_falls_back_to_content_map() -> None:
    doc = minimal_note(contentMap={"de": "<p>hallo</p>"})
    del doc["content"]
    assert parse_note(doc).content == "<p>hallo</p>"


def test_blank_summary_is_none_and_non_true_sensitive_is_false() -> None:
    note = parse_note(minimal_note(summary="", sensitive="true"))
    assert note.summary is None
    assert note.sensitive is False


def test_attributed_to_list_takes_first_entry() -> None:
    doc = minimal_note(
        attributedTo=[{"type": "Person", "id": "https://remote.example/users/bob"}, "x"]
    )
    assert parse_note(doc).attributed_to == "https://remote.example/users/bob"


# --- attachments -----------------------------------------------------------------------------


def test_alt_text_prefers_name_then_summary_and_is_stripped() -> None:
    assert parse_attachment(image(name=" from name ", summary="from summary")).name == "from name"
    assert parse_attachment(image(name=None, summary="from summary")).name == "from summary"
    assert parse_attachment(image()).name == ""


def test_url_given_as_link_object_takes_href_and_its_media_type() -> None:
    att = parse_attachment(
        {
            "type": "Document",
            "url": {
                "type": "Link",
                "href": "https://remote.example/m.webp",
                "mediaType": "image/webp",
            },
        }
    )
    assert att is not None
    assert att.url == "https://remote.example/m.webp"
    assert att.media_type == "image/webp"


def test_url_given_as_list_of_links_takes_first_with_href() -> None:
    att = parse_attachment(
        image(
            url=[
                {"type": "Link", "mediaType": "image/avif"},
                {"type": "Link", "href": "https://remote.example/a.png", "mediaType": "image/png"},
                {"type": "Link", "href": "https://remote.example/b.png", "mediaType": "image/png"},
            ]
        )
    )
    assert att is not None
    assert att.url == "https://remote.example/a.png"


def test_attachment_media_type_on_object_wins_over_link() -> None:
    att = parse_attachment(
        image(url={"type": "Link", "href": "https://r.example/a", "mediaType": "image/gif"})
    )
    assert att is not None and att.media_type == "image/png"


def test_attachment_without_any_media_type_is_octet_stream() -> None:
    att = parse_attachment({"type": "Document", "url": "https://r.example/a"})
    assert att is not None and att.media_type == "application/octet-stream"


def test_link_url_object_with_id_still_uses_href() -> None:
    # A Link's own id names the link, not the media: the address is its href.
    att = parse_attachment(
        {
            "type": "Image",
            "url": {
                "type": "Link",
                "id": "https://r.example/links/7",
                "href": "https://r.example/media/7.png",
            },
        }
    )
    assert att is not None
    assert att.url == "https://r.example/media/7.png"


@pytest.mark.parametrize(
    "entry",
    [
        {"type": "PropertyValue", "name": "Website", "value": "https://x.example"},
        {"type": "Link", "href": "https://x.example/page"},
        {"type": "Hashtag", "href": "https://x.example/tags/a"},
        {"type": "Image"},  # no url
        "https://x.example/bare-string.png",
        None,
    ],
)
def test_non_media_attachment_entries_are_skipped(entry: Any) -> None:
    assert parse_attachment(entry) is None
    note = parse_note(minimal_note(attachment=[entry, image()]))
    assert [a.url for a in note.attachments] == ["https://remote.example/media/1.png"]


def test_attachment_with_type_list_is_read_not_crashing() -> None:
    # JSON-LD allows a list of types; the attachment is read by its first media type (a
    # list once crashed the parser with an unhashable-type TypeError).
    note = parse_note(minimal_note(attachment=[image(type=["Image", "schema:ImageObject"])]))
    assert [a.type for a in note.attachments] == ["Image"]


def test_attachment_with_non_http_url_is_refused() -> None:
    with pytest.raises(InvalidObject):
        parse_attachment(image(url="file:///etc/passwd"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([0.5, -0.5], (0.5, -0.5)),
        ([5, -3], (1.0, -1.0)),
        ([-1.0000001, 1.5], (-1.0, 1.0)),
        ([1, 0], (1.0, 0.0)),
        ([True, False], (0.0, 0.0)),
        (["0.1", "0.2"], (0.0, 0.0)),
        ([0.1], (0.0, 0.0)),
        ([0.1, 0.2, 0.3], (0.0, 0.0)),
        ({"x": 0.1}, (0.0, 0.0)),
        (None, (0.0, 0.0)),
    ],
)
def test_focal_point_is_clamped_to_unit_square(given: Any, expected: tuple[float, float]) -> None:
    att = parse_attachment(image(focalPoint=given))
    assert att is not None
    assert att.focal_point == expected


@pytest.mark.parametrize("size", [-1, 1_000_001, "100", True])
def test_bad_width_is_refused(size: Any) -> None:
    with pytest.raises(InvalidObject):
        parse_attachment(image(width=size, height=10))


def test_attachments_are_capped_at_max_attachments() -> None:
    entries = [
        image(url=f"https://remote.example/media/{i}.png") for i in range(MAX_ATTACHMENTS + 5)
    ]
    note = parse_note(minimal_note(attachment=entries))
    assert len(note.attachments) == MAX_ATTACHMENTS
    assert note.attachments[0].url == "https://remote.example/media/0.png"
    assert note.attachments[-1].url == f"https://remote.example/media/{MAX_ATTACHMENTS - 1}.png"


def test_single_attachment_object_not_in_a_list_is_read() -> None:
    note = parse_note(minimal_note(attachment=image()))
    assert len(note.attachments) == 1


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"type": "Person"},
        {"type": None},
        {"id": None},
        {"id": "tag:remote.example,2025:1"},
        {"attributedTo": None},
        {"to": ["https://ok.example/a", 12]},
        {"cc": "mailto:bob@example.org"},
        {"published": "yesterday"},
        {"content": ["not", "a", "string"]},
        {"inReplyTo": "urn:x"},
    ],
)
def test_parse_note_refuses(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidObject):
        parse_note(minimal_note(**change))


def test_parse_note_refuses_non_object() -> None:
    with pytest.raises(InvalidObject):
        parse_note(["https://remote.example/notes/1"])


@pytest.mark.parametrize("alias", ["as:Public", "Public"])
def test_compacted_public_addressing_is_accepted(alias: str) -> None:
    # ActivityPub §5.6: the compacted spellings of Public are read as the full IRI, so
    # visibility is judged the same however the sender spelled it.
    note = parse_note(minimal_note(to=[alias]))
    assert note.to == [PUBLIC]


# --- build_note ------------------------------------------------------------------------------


def sample_note() -> Note:
    return Note(
        id="https://art.example/users/mira/posts/01",
        attributed_to="https://art.example/users/mira",
        content="<p>new piece</p>",
        url="https://art.example/@mira/01",
        published=datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC),
        updated=datetime(2025, 3, 2, 8, 30, 0, tzinfo=UTC),
        to=[PUBLIC],
        cc=["https://art.example/users/mira/followers"],
        summary="eye contact",
        sensitive=True,
        in_reply_to="https://remote.example/notes/9",
        attachments=[
            Attachment(
                url="https://art.example/media/a.jpg",
                media_type="image/jpeg",
                name="a heron in ink",
                width=1200,
                height=800,
                blurhash="LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
                focal_point=(0.25, -0.5),
                type="Image",
            ),
            Attachment(url="https://art.example/media/b.png", media_type="image/png"),
        ],
    )


def test_build_note_round_trips_through_parse_note() -> None:
    note = sample_note()
    assert parse_note(build_note(note)) == note


def test_build_note_round_trips_a_bare_note() -> None:
    note = Note(
        id="https://art.example/p/2",
        attributed_to="https://art.example/u/m",
        content="",
        url=None,
        published=None,
        to=[],
        cc=[],
    )
    assert parse_note(build_note(note, with_context=False)) == note


def test_build_note_shape_mastodon_reads() -> None:
    doc = build_note(sample_note())
    assert doc["@context"][0] == AS_NS
    assert doc["type"] == "Note"
    assert doc["published"] == "2025-03-01T12:00:00Z"
    assert doc["updated"] == "2025-03-02T08:30:00Z"
    assert doc["sensitive"] is True
    first = doc["attachment"][0]
    assert first["type"] == "Image"
    assert first["name"] == first["summary"] == "a heron in ink"
    assert first["focalPoint"] == [0.25, -0.5]
    assert first["blurhash"] == "LKO2?U%2Tw=w]~RBVZRi};RPxuwH"
    assert (first["width"], first["height"]) == (1200, 800)
    terms: dict[str, Any] = {}
    for entry in doc["@context"]:
        if isinstance(entry, dict):
            terms.update(entry)
    for term in ("sensitive", "blurhash", "focalPoint"):
        assert term in terms


def test_build_note_without_context() -> None:
    assert "@context" not in build_note(sample_note(), with_context=False)


def test_build_attachment_omits_unknowns() -> None:
    doc = build_attachment(Attachment(url="https://a.example/x.png", media_type="image/png"))
    assert doc["name"] is None and doc["summary"] is None
    assert "blurhash" not in doc
    assert "width" not in doc and "height" not in doc
