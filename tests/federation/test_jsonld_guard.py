from __future__ import annotations

import pytest
from pyld import jsonld

from federation import jsonld_guard


def test_expanding_a_document_cannot_fetch_its_context():
    jsonld_guard.install()
    doc = {"@context": "https://www.w3.org/ns/activitystreams", "type": "Note", "content": "x"}
    with pytest.raises(jsonld.JsonLdError) as info:
        jsonld.expand(doc)
    assert isinstance(info.value.__context__, jsonld_guard.ContextFetchRefused)
