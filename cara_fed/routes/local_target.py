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
