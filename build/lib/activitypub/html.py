"""Sanitising HTML that arrives from other servers (post content, actor bios), the way
Mastodon's strict sanitizer does: a short list of text-formatting elements, links with safe
schemes only, microformat and mention classes kept, everything else removed."""

from __future__ import annotations

import nh3

TAGS = {
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "ruby",
    "rt",
    "rp",
}
# `class` is not listed here: CLASSES filters it value by value (nh3 requires one or the other).
ATTRIBUTES = {
    "a": {"href", "translate"},
    "span": {"translate"},
    "ol": {"start", "reversed"},
    "li": {"value"},
}
CLASSES = {
    "a": {"mention", "hashtag", "u-url", "h-card", "status-link"},
    "span": {"h-card", "invisible", "ellipsis", "p-nickname", "mention", "hashtag"},
}
URL_SCHEMES = {
    "http",
    "https",
    "dat",
    "dweb",
    "ipfs",
    "ipns",
    "ssb",
    "gopher",
    "xmpp",
    "magnet",
    "gemini",
}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
