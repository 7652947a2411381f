"""pyld, which bovine imports, fetches JSON-LD contexts over the network when a document is
expanded, and bovine.jsonld installs a loader that also writes a cache file into the current
directory (FACTS.md). We read ActivityStreams by its compacted names and never expand; this
loader makes sure no code path can turn a context URL into a network request."""

from __future__ import annotations

from pyld import jsonld


class ContextFetchRefused(jsonld.JsonLdError):
    pass


def _refuse(url: str, options: dict | None = None) -> dict:
    raise ContextFetchRefused(
        f"refusing to fetch JSON-LD context {url}: contexts are never loaded from the network",
        "loading document failed",
    )


def install() -> None:
    jsonld.set_document_loader(_refuse)
