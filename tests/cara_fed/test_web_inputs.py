"""What people type into the web forms, read strictly: hashtags, profile links, feed filters,
and the text of a description given back for editing."""

from __future__ import annotations

import pytest

from cara_fed.services.feed import FeedFilters, FilterError, tags_to_hide
from cara_fed.services.post_input import PostError, parse_tags
from cara_fed.services.post_text import text_to_html
from cara_fed.services.profile import parse_links


def test_tags_are_read_without_hash_in_order_once_each():
    assert parse_tags("#ink, watercolour  #Ink sketch_1 ") == ["ink", "watercolour", "sketch_1"]
    assert parse_tags("") == []
    assert parse_tags("日本画 #çizim") == ["日本画", "çizim"]


@pytest.mark.parametrize("text", ["no-dashes", "semi;colon", "#a" + "b" * 100, "<b>"])
def test_a_tag_that_is_not_a_hashtag_is_refused_with_the_reason(text):
    with pytest.raises(PostError, match="is not a hashtag"):
        parse_tags(text)


def test_at_most_thirty_tags():
    with pytest.raises(PostError, match="at most 30"):
        parse_tags(" ".join(f"t{n}" for n in range(31)))


def test_profile_links_keep_http_addresses_and_refuse_anything_else():
    links = parse_links([("Shop", "https://shop.example/a"), ("", ""), ("", "http://b.example")])
    assert links == [
        {"name": "Shop", "url": "https://shop.example/a"},
        {"name": "b.example", "url": "http://b.example"},
    ]
    for bad in ("javascript:alert(1)", "data:text/html,hi", "ftp://x.example", "https://"):
        with pytest.raises(PostError, match="http or https"):
            parse_links([("x", bad)])
    with pytest.raises(PostError, match="no address"):
        parse_links([("Label only", "")])


def test_saved_filters_are_read_defensively():
    assert FeedFilters.from_saved(None) == FeedFilters()
    saved = {"hide_tags": ["a", 3, None], "media_only": True, "no_boosts": "yes", "x": 1}
    filters = FeedFilters.from_saved(saved)
    assert filters == FeedFilters(hide_tags=["a"], media_only=True)
    assert FeedFilters.from_saved(filters.to_saved()) == filters
    assert filters.active and not FeedFilters().active


def test_tags_to_hide_and_their_limit():
    assert tags_to_hide("#Spoilers, nsfw spoilers") == ["Spoilers", "nsfw"]
    with pytest.raises(FilterError):
        tags_to_hide(" ".join(f"t{n}" for n in range(51)))


def test_a_description_is_escaped_into_paragraphs():
    assert text_to_html("a <b>\nline\n\nnext") == "<p>a &lt;b&gt;<br>line</p><p>next</p>"
