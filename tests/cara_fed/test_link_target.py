"""What a page may link to (the `web_url` filter on every href and src built from a value):
paths here and http(s) URLs, read as a browser reads them; nothing else reaches the page."""

from __future__ import annotations

import pytest

from cara_fed.routes.local_target import link_target


@pytest.mark.parametrize(
    "value, shown",
    [
        ("https://art.example/@ada", "https://art.example/@ada"),
        ("http://127.0.0.1:8080/users/ada", "http://127.0.0.1:8080/users/ada"),
        ("HTTPS://Art.Example/x", "HTTPS://Art.Example/x"),
        ("/works/3/edit", "/works/3/edit"),
        ("/tags/ink?page=2", "/tags/ink?page=2"),
        ("javascript:alert(1)", "#"),
        (" JavaScript:alert(1)", "#"),
        ("java\tscript:alert(1)", "#"),
        ("data:text/html,<script>alert(1)</script>", "#"),
        ("vbscript:msgbox(1)", "#"),
        ("//evil.example/phish", "#"),
        ("/\t/evil.example/phish", "#"),
        ("/\\evil.example", "#"),
        ("https:\\\\evil.example", "#"),
        ("https:///no-host", "#"),
        ("ftp://files.example/a", "#"),
        ("", "#"),
        (None, "#"),
    ],
)
def test_only_paths_here_and_http_urls_are_linked(value, shown):
    assert link_target(value) == shown
