from __future__ import annotations

from activitypub.actor import parse_actor
from activitypub.html import sanitize_html
from activitypub.note import parse_note


def test_scripts_handlers_and_unsafe_links_are_removed():
    dirty = (
        '<p>Hi <a href="https://x.example/@a" class="mention evil" onclick="steal()">@a</a>'
        '<script>alert(1)</script><img src="x" onerror="y()">'
        '<a href="javascript:alert(1)">click</a><iframe src="https://x.example"></iframe></p>'
    )
    clean = sanitize_html(dirty)
    for bad in ("<script", "onclick", "onerror", "<img", "javascript:", "<iframe", "evil"):
        assert bad not in clean
    assert 'href="https://x.example/@a"' in clean and 'class="mention"' in clean
    assert 'rel="nofollow noopener noreferrer"' in clean


def test_mastodon_formatting_survives():
    html = (
        '<p>Line<br>two <span class="h-card"><a href="https://m.example/@b" class="u-url '
        'mention">@<span>b</span></a></span> <a href="https://m.example/tags/art" '
        'class="mention hashtag">#<span>art</span></a> <strong>bold</strong></p>'
    )
    clean = sanitize_html(html)
    assert "<br>" in clean and "<strong>bold</strong>" in clean
    assert 'class="h-card"' in clean and 'class="mention hashtag"' in clean


def test_parsers_sanitise_remote_content_and_bios():
    note = parse_note(
        {
            "id": "https://r.example/n/1",
            "type": "Note",
            "attributedTo": "https://r.example/u",
            "content": "<p>ok</p><script>x()</script>",
        }
    )
    assert note.content == "<p>ok</p>"
    actor = parse_actor(
        {
            "id": "https://r.example/u",
            "type": "Person",
            "preferredUsername": "u",
            "inbox": "https://r.example/u/inbox",
            "summary": '<p onmouseover="x()">bio</p>',
            "publicKey": {
                "id": "https://r.example/u#k",
                "owner": "https://r.example/u",
                "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----",
            },
        }
    )
    assert actor.summary == "<p>bio</p>"
