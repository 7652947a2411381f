"""A post's text as the artist typed it and as HTML, both ways."""

from __future__ import annotations

import html
import re


def text_to_html(text: str) -> str:
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def link_mentions(html_text: str, links: dict[str, str]) -> str:
    """text_to_html's output with each mention written in it (`@name`, `@name@server`)
    made a link to that profile, marked up as Mastodon marks a mention. The link keeps the
    words as written, server and all, so that html_to_text gives back what was typed."""
    if not links:
        return html_text
    pattern = re.compile(
        "|".join(rf"(?<![\w/@]){re.escape(html.escape(w))}(?![\w@])" for w in links)
    )
    by_escaped = {html.escape(w): url for w, url in links.items()}

    def link(match: re.Match[str]) -> str:
        written = match.group(0)
        name = written.removeprefix("@")
        return (
            f'<span class="h-card"><a href="{html.escape(by_escaped[written])}" '
            f'class="u-url mention">@<span>{name}</span></a></span>'
        )

    return pattern.sub(link, html_text)


def html_to_text(html_text: str) -> str:
    """What text_to_html was given: the form shows a description or bio as it was typed
    (mention links read as the words that made them)."""
    paragraphs = re.findall(r"<p>(.*?)</p>", html_text or "", flags=re.S)
    return "\n\n".join(
        html.unescape(re.sub(r"<[^>]+>", "", p.replace("<br>", "\n"))) for p in paragraphs
    )
