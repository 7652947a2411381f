"""Content Credentials (C2PA manifests) on every published rendition: who made the work, how
the artist says it was made, that no kind of AI training or mining is allowed, and what the
instance did to the file. Signed last, after the cloak and the rights XMP, so that the
signature covers the pixels and metadata as served.

The library runs offline both ways: no remote manifests, no OCSP, no timestamp authority;
an empty host allow-list makes its HTTP resolver refuse every host.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

log = logging.getLogger(__name__)
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# The artist's declaration → IPTC digital source type. Never a generative one: a member's
# upload that is generated is refused by screening before it gets here.
MADE_AS = {
    "digital": IPTC + "digitalCreation",  # made by a person with digital tools
    "photo": IPTC + "digitalCapture",  # a photograph
    "scan": IPTC + "print",  # a scan of a physical work (digitised from a print)
}
DEFAULT_MADE_AS = "digital"
TRAINING_USES = (
    "cawg.ai_generative_training",
    "cawg.ai_training",
    "cawg.ai_inference",
    "cawg.data_mining",
)
CLOAK_DESCRIPTION = "a small adversarial perturbation against image encoders (cara-fed cloak)"

OFFLINE_SETTINGS: dict[str, Any] = {
    "verify": {
        "remote_manifest_fetch": False,
        "ocsp_fetch": False,
        "verify_after_reading": True,
        "verify_trust": True,
    },
    "core": {"allowed_network_hosts": []},
}
# Signing: no embedded thumbnail (it would be a second, smaller copy of the work in the file).
_SIGNING_SETTINGS: dict[str, Any] = {
    **OFFLINE_SETTINGS,
    "builder": {"thumbnail": {"enabled": False}},
}


@dataclass(frozen=True)
class Statement:
    """What a rendition's manifest says."""

    creator_name: str
    handle: str  # @name@host
    actor_url: str
    made_as: str = DEFAULT_MADE_AS
    resized: bool = False
    cloaked: bool = False
    no_training: bool = True  # the instance advertises its no-AI policy


@dataclass(frozen=True)
class Credentials:
    """What a file's manifest says, and how far it validates."""

    validation_state: str  # Invalid, Valid (signature good, signer unknown) or Trusted
    signature_valid: bool
    trusted: bool
    creator_name: str | None
    handle: str | None
    actor_url: str | None
    source_type: str | None
    training: dict[str, str] = field(default_factory=dict)
    actions: tuple[str, ...] = ()
    issuer: str | None = None
    signer_serial: str | None = None  # the signing certificate's serial number
    failures: tuple[str, ...] = ()

    @property
    def generative(self) -> bool:
        return bool(self.source_type) and "trainedAlgorithmic" in str(self.source_type)

    @property
    def no_training(self) -> bool:
        return all(self.training.get(use) == "notAllowed" for use in TRAINING_USES)


def _generator_version() -> str:
    try:
        return version("cara-fed")
    except PackageNotFoundError:
        return "0"


def manifest(statement: Statement) -> dict[str, Any]:
    if statement.made_as not in MADE_AS:
        raise ValueError(f"unknown declaration {statement.made_as!r}: one of {', '.join(MADE_AS)}")
    agent = {"name": "cara-fed", "version": _generator_version()}
    actions: list[dict[str, Any]] = [
        {"action": "c2pa.created", "digitalSourceType": MADE_AS[statement.made_as]},
        {"action": "c2pa.edited.metadata", "softwareAgent": agent,
         "description": "camera and location metadata removed"},
    ]  # fmt: skip
    if statement.resized:
        actions.append({"action": "c2pa.resized", "softwareAgent": agent})
    if statement.cloaked:
        actions.append(
            {"action": "c2pa.filtered", "softwareAgent": agent, "description": CLOAK_DESCRIPTION}
        )
    author = {
        "@type": "Person",
        "name": statement.creator_name,
        "alternateName": statement.handle,
        "identifier": statement.actor_url,
        "url": statement.actor_url,
    }
    assertions: list[dict[str, Any]] = [
        {"label": "c2pa.actions.v2", "data": {"actions": actions}},
        {
            "label": "stds.schema-org.CreativeWork",
            "data": {"@context": "https://schema.org", "@type": "CreativeWork", "author": [author]},
        },
    ]
    if statement.no_training:
        entries = {use: {"use": "notAllowed"} for use in TRAINING_USES}
        assertions.insert(1, {"label": "cawg.training-mining", "data": {"entries": entries}})
    return {"claim_generator_info": [agent], "assertions": assertions}


_contexts: dict[tuple[int, str], Any] = {}
_lock = threading.Lock()


def context(kind: str = "read", anchors: str = "") -> Any:
    """One context per process and settings (a context made before fork() is invalid after)."""
    import c2pa

    key = (os.getpid(), f"{kind}\0{anchors}")
    with _lock:
        if key not in _contexts:
            settings = json.loads(
                json.dumps(_SIGNING_SETTINGS if kind == "sign" else OFFLINE_SETTINGS)
            )
            if anchors:
                settings["trust"] = {"user_anchors": anchors}
            c2pa_settings = c2pa.Settings.from_dict(settings)
            _contexts[key] = c2pa.Context(c2pa_settings)
            c2pa_settings.close()
        return _contexts[key]


def sign(
    data: bytes, media_type: str, statement: Statement, *, chain_pem: str, key_pem: str
) -> bytes:
    """The file with its manifest embedded. CPU-bound (a few ms): run it off the event loop."""
    import c2pa

    info = c2pa.C2paSignerInfo(
        alg=b"es256", sign_cert=chain_pem.encode(), private_key=key_pem.encode(), ta_url=None
    )
    signer = c2pa.Signer.from_info(info)
    try:
        with c2pa.Builder(manifest(statement), context=context("sign")) as builder:
            out = io.BytesIO()
            builder.sign(signer, media_type, io.BytesIO(data), out)
            return out.getvalue()
    finally:
        signer.close()


def read_store(data: bytes, anchors: str = "") -> dict[str, Any] | None:
    """The manifest store as JSON, or None when the file carries no (readable) C2PA data."""
    import c2pa

    try:
        reader = c2pa.Reader.try_create(None, io.BytesIO(data), None, context("read", anchors))
    except c2pa.C2paError as exc:  # corrupt or remote-only manifests: nothing we can use
        log.info("C2PA data present but unreadable: %s", exc)
        return None
    if reader is None:
        return None
    with reader:
        return json.loads(reader.json())


def _assertion(manifest_json: dict[str, Any], label: str) -> dict[str, Any]:
    for assertion in manifest_json.get("assertions") or []:
        if str(assertion.get("label", "")).split(".v")[0] == label.split(".v")[0]:
            data = assertion.get("data")
            return data if isinstance(data, dict) else {}
    return {}


def _author(manifest_json: dict[str, Any]) -> dict[str, Any]:
    authors = _assertion(manifest_json, "stds.schema-org.CreativeWork").get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        return authors[0]
    return {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def summarize(store: dict[str, Any]) -> Credentials:
    """The active manifest's statement and its validation, from a manifest store."""
    active = (store.get("manifests") or {}).get(store.get("active_manifest") or "") or {}
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    success = {str(e.get("code")) for e in results.get("success") or []}
    failures = tuple(str(e.get("code")) for e in results.get("failure") or [])
    actions = [
        a for a in _assertion(active, "c2pa.actions").get("actions") or [] if isinstance(a, dict)
    ]
    created = next((a for a in actions if a.get("action") == "c2pa.created"), {})
    entries = _assertion(active, "cawg.training-mining").get("entries") or {}
    training = {str(k): str(v.get("use")) for k, v in entries.items() if isinstance(v, dict)}
    author = _author(active)
    signature = active.get("signature_info") or {}
    state = str(store.get("validation_state") or "Invalid")
    return Credentials(
        validation_state=state,
        signature_valid="claimSignature.validated" in success and state != "Invalid",
        trusted="signingCredential.trusted" in success and state == "Trusted",
        creator_name=_text(author.get("name")),
        handle=_text(author.get("alternateName")),
        actor_url=_text(author.get("identifier")),
        source_type=_text(created.get("digitalSourceType")),
        training=training,
        actions=tuple(str(a.get("action")) for a in actions),
        issuer=_text(signature.get("issuer")),
        signer_serial=_text(signature.get("cert_serial_number")),
        failures=failures,
    )


def read(data: bytes, anchors: str = "") -> Credentials | None:
    """What a file's manifest says and whether it validates; trusted only when its chain ends
    in one of `anchors` (PEM certificates). None when the file carries no manifest."""
    store = read_store(data, anchors)
    return summarize(store) if store else None
