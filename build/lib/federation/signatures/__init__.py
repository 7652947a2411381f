"""HTTP message signatures: draft-cavage (what the fediverse speaks) and RFC 9421."""

from federation.signatures.errors import SignatureError

__all__ = ["SignatureError"]
