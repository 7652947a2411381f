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


def html_to_text(html_text: str) -> str:
    """What text_to_html was given: the form shows a description or bio as it was typed."""
    paragraphs = re.findall(r"<p>(.*?)</p>", html_text or "", flags=re.S)
    return "\n\n".join(html.unescape(p.replace("<br>", "\n")) for p in paragraphs)
