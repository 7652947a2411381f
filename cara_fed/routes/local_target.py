"""Redirect targets that come from a request (`next=`): checked as a browser will read them.

A browser parsing a URL (the WHATWG URL standard) first drops leading and trailing control
characters and spaces, then removes every tab, CR and LF anywhere, and reads a backslash as a
slash in http(s) URLs. So `/\\t/evil.example` and `/\\\\evil.example` arrive as
`//evil.example`: another site. We read the target the same way, then accept only a path on
this site: it starts with one slash, not two, and has no scheme. What we redirect to is that
cleaned form, so what we checked is what the browser follows.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

STRIPPED_ENDS = "".join(chr(c) for c in range(0x21))  # C0 controls and space
REMOVED = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_path(target: str | None) -> str | None:
    """The path on this site that `target` leads to, or None when it leads elsewhere (or is
    not a path)."""
    if not target:
        return None
    cleaned = REMOVED.sub("", target.strip(STRIPPED_ENDS)).replace("\\", "/")
    if SCHEME.match(cleaned) or not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    return cleaned


def link_target(target: object) -> str:
    """What a page may put in an `href` or `src` (the `web_url` filter): a path on this site
    or an absolute http(s) URL, read as the browser will; anything else (`javascript:`,
    `data:`, a protocol-relative `//host`) becomes `#`. Parsers refuse such values from
    remote documents already; this holds for every value a page shows, wherever it came
    from."""
    if not isinstance(target, str) or not target:
        return "#"
    path = local_path(target)
    if path is not None:
        return path
    cleaned = REMOVED.sub("", target.strip(STRIPPED_ENDS))
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return "#"
    if parts.scheme.lower() in ("http", "https") and parts.hostname and "\\" not in cleaned:
        return cleaned
    return "#"
