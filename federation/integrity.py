"""FEP-8b32 object integrity proofs (eddsa-jcs-2022): a document that stays verifiable
whoever relays it, signed with an Ed25519 key the signer lists in its actor's
`assertionMethod` (FEP-521a). bovine implements the cryptosuite; this keeps its use to the
one suite we publish and turns its failures into one error.

bovine is imported where it is used: importing it takes 0.4 s (aiohttp, pydantic, pyld), and
every `cara-fed` command that makes an account imports this module; pyld's loader is guarded
(federation/jsonld_guard.py) at that moment, not at every process start."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

CRYPTOSUITE = "eddsa-jcs-2022"
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"


class ProofError(Exception):
    pass


def generate_ed25519_pem() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def _guarded() -> None:
    """Before bovine (and with it pyld) is used: no JSON-LD context is ever fetched."""
    from federation import jsonld_guard

    jsonld_guard.install()


def public_multibase(private_pem: str) -> str:
    _guarded()
    from bovine.crypto.multibase import encode_public_key_to_multibase

    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return encode_public_key_to_multibase(key.public_key())


def sign(document: dict[str, Any], key_id: str, private_pem: str) -> dict[str, Any]:
    """`document` with a `proof`. Its @context must already hold the data-integrity context:
    otherwise bovine compacts it with pyld, which would fetch contexts from the network."""
    if DATA_INTEGRITY not in document.get("@context", []):
        raise ValueError(f"a signed document's @context must include {DATA_INTEGRITY}")
    _guarded()
    from bovine.crypto.types import CryptographicSecret

    return CryptographicSecret.from_pem(key_id, private_pem).sign_document(document)


def proof_key_id(document: dict[str, Any]) -> str:
    """The verificationMethod of the document's proof; raises ProofError."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("the document carries no integrity proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the proof is not a DataIntegrityProof of {CRYPTOSUITE}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    key_id = proof.get("verificationMethod")
    if not isinstance(key_id, str):
        raise ProofError("the proof names no verificationMethod")
    return key_id


def verify(document: dict[str, Any], public_key_multibase: str, controller: str) -> None:
    """Raises ProofError unless the proof verifies with this key."""
    _guarded()
    from bovine.crypto.types import CryptographicIdentifier

    proof_key_id(document)
    try:
        identifier = CryptographicIdentifier.from_tuple(controller, public_key_multibase)
        signer = identifier.verify_document(document)
    except Exception as exc:  # bovine raises pydantic, ValueError, KeyError on bad input
        raise ProofError(f"the proof cannot be checked: {type(exc).__name__}: {exc}") from None
    if signer != controller:
        raise ProofError("the proof's signature does not verify")
