"""The instance's Content Credentials identity: a self-issued CA and a signing certificate
under it, in the shape the C2PA libraries accept (checked with c2pa-python 0.38.1).

What C2PA validators require, found by running them: the signing certificate carries the
emailProtection extended key usage (documentSigning is refused by default), the chain is
passed leaf first, and the leaf has an authority key identifier. There is no timestamp
authority on a self-hosted instance (and no network to reach one), so a manifest stops
validating when its certificate expires: the signing certificate lives ten years, the CA
twenty. Nobody vouches for the CA: validators say "untrusted signer" unless they pin it,
which is why it is published at a well-known URL and in the instance actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_YEARS = 20
SIGNING_YEARS = 10
_BACKDATE = timedelta(minutes=5)  # a peer whose clock is a little behind still accepts it


@dataclass(frozen=True)
class Identity:
    ca_pem: str
    ca_key_pem: str
    signing_pem: str
    signing_key_pem: str

    @property
    def chain_pem(self) -> str:
        """Leaf first, as the C2PA signer wants it."""
        return self.signing_pem + self.ca_pem


def _name(common_name: str, domain: str) -> x509.Name:
    """The organisation is the instance's domain: validators show it as the signer."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, domain[:64]),
        ]
    )


def _key_usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _years(now: datetime, years: int) -> datetime:
    return now + timedelta(days=365 * years + years // 4)


def make_identity(domain: str, now: datetime) -> Identity:
    """A new CA named after the instance, and a signing certificate under it."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"{domain} Content Credentials CA", domain)
    ca = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(_years(now, CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    return renew_signing(Identity(_pem(ca), _key_pem(ca_key), "", ""), domain, now)


def renew_signing(identity: Identity, domain: str, now: datetime) -> Identity:
    """A new signing key and certificate under the same CA (what `credentials rotate` does):
    peers that pinned the CA keep trusting what the instance signs."""
    ca = x509.load_pem_x509_certificate(identity.ca_pem.encode())
    ca_key = serialization.load_pem_private_key(identity.ca_key_pem.encode(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{domain} signing", domain))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(min(_years(now, SIGNING_YEARS), ca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return Identity(identity.ca_pem, identity.ca_key_pem, _pem(leaf), _key_pem(key))


def fingerprint(pem: str) -> str:
    """SHA-256 of a certificate, as admins compare them out of band (AA:BB:…)."""
    cert = x509.load_pem_x509_certificate(pem.encode())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def describe(pem: str) -> dict[str, str]:
    cert = x509.load_pem_x509_certificate(pem.encode())
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "sha256": fingerprint(pem),
    }


def ca_certificate(text: str) -> str:
    """The one CA certificate in `text` (a peer's published PEM), normalised; ValueError
    with a reason a person understands for anything else."""
    try:
        certs = x509.load_pem_x509_certificates(text.encode())
    except ValueError:
        raise ValueError("not a PEM certificate") from None
    if len(certs) != 1:
        raise ValueError(f"expected one certificate, found {len(certs)}")
    try:
        constraints = certs[0].extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        raise ValueError("the certificate is not a CA (no basic constraints)") from None
    if not constraints.value.ca:
        raise ValueError("the certificate is not a CA")
    return _pem(certs[0])
