"""Signal 1: a C2PA manifest (Content Credentials) whose actions say a trained model made the
image (`digitalSourceType` trainedAlgorithmicMedia or compositeWithTrainedAlgorithmicMedia).

The library is used strictly offline (cloak/content_credentials.py): its default settings
fetch remote manifests from a URL the image names, which on a federated server means a URL
chosen by whoever posted it. Evidence names the claim generator and whether the
signature validated (a self-signed or unknown certificate still validates the signature; it
is reported as untrusted).
"""

from __future__ import annotations

from typing import Any

from cloak.content_credentials import read_store
from inbox.screening.iptc import GENERATED_SOURCE_TYPES
from inbox.screening.types import REFUSE, Finding


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            if isinstance(action, dict):
                found.append(action)
    return found


def _generator(manifest: dict[str, Any]) -> str:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict):
        name, version = info[0].get("name", ""), info[0].get("version", "")
        return f"{name} {version}".strip()
    return str(manifest.get("claim_generator") or "unknown")


def check(data: bytes) -> Finding | None:
    store = read_store(data)
    if not store:
        return None
    manifests = store.get("manifests") or {}
    active_label = store.get("active_manifest")
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    success = {e.get("code") for e in results.get("success") or []}
    failure = {e.get("code") for e in results.get("failure") or []}
    # Ingredients count too: an edit of a generated image keeps the marker in its ingredient.
    for label, manifest in manifests.items():
        for action in _actions(manifest):
            source_type = str(action.get("digitalSourceType") or "").strip()
            if source_type not in GENERATED_SOURCE_TYPES:
                continue
            signature_valid = (
                "claimSignature.validated" in success and "claimSignature.mismatch" not in failure
            )
            trusted = "signingCredential.trusted" in success
            generator = _generator(manifests.get(active_label, manifest))
            return Finding(
                "c2pa",
                REFUSE,
                f"C2PA manifest by {generator} declares {source_type.rsplit('/', 1)[-1]}"
                f" (signature {'valid' if signature_valid else 'not valid'}"
                f"{', certificate trusted' if trusted else ', certificate not trusted'})",
                {
                    "claim_generator": generator,
                    "action": action.get("action"),
                    "digitalSourceType": source_type,
                    "manifest": label,
                    "in_ingredient": label != active_label,
                    "signature_valid": signature_valid,
                    "certificate_trusted": trusted,
                    "validation_state": store.get("validation_state"),
                },
            )
    return None
