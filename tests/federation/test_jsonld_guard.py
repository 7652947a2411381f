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


def test_the_guard_is_in_place_once_bovine_is_used():
    """In a fresh process (no other test's install): the first use of bovine, through
    federation.integrity, installs the guard before pyld can fetch anything."""
    import subprocess
    import sys

    code = (
        "from federation import integrity\n"
        "from pyld import jsonld\n"
        "integrity.public_multibase(integrity.generate_ed25519_pem())\n"
        "try:\n"
        "    jsonld.expand({'@context': 'https://www.w3.org/ns/activitystreams', 'type': 'Note'})\n"
        "except jsonld.JsonLdError as exc:\n"
        "    print(type(exc.__context__).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ContextFetchRefused", done.stderr
