"""RSA key pairs for actors, and cached loading of PEM keys (parsing a PEM costs more than a
verification, see FACTS.md)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes


def generate_rsa_keypair() -> tuple[str, str]:
    """A new RSA-2048 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


class UnusableKey(ValueError):
    pass


@lru_cache(maxsize=4096)
def load_public_key(pem: str) -> PublicKeyTypes:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise UnusableKey(f"public key PEM cannot be read: {exc}") from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        raise UnusableKey(f"RSA key of {key.key_size} bits is too weak (2048 needed)")
    if not isinstance(key, rsa.RSAPublicKey | ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey):
        raise UnusableKey("only RSA, Ed25519 and EC public keys are supported")
    return key


@lru_cache(maxsize=256)
def load_private_key(pem: str) -> PrivateKeyTypes:
    return serialization.load_pem_private_key(pem.encode(), password=None)
