"""Signing test images with C2PA manifests, with a certificate chain made here (ES256 root and
end-entity; the end-entity needs emailProtection among its extended key usages for c2pa-rs
0.91 to sign with it). No timestamp authority: nothing leaves the machine."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import lru_cache

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from cloak.content_credentials import OFFLINE_SETTINGS

C2PA_SIGNING = ObjectIdentifier("1.3.6.1.4.1.62558.2.1")
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cara-fed tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@lru_cache(maxsize=1)
def chain() -> tuple[bytes, bytes]:
    """(end-entity certificate PEM, its private key PEM), issued by a fresh root."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski)
    key = ec.generate_private_key(ec.SECP256R1())
    usage = dict(
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("TestGen signer"))
        .issuer_name(_name("test root"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(aki, critical=False)
        .add_extension(
            x509.ExtendedKeyUsage([C2PA_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _definition(mime: str, source_type: str, generator: str) -> dict:
    name, _, version = generator.partition("/")
    return {
        "claim_generator_info": [{"name": name, "version": version or "1.0"}],
        "title": "test image",
        "format": mime,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": source_type}]},
            }
        ],
    }


def sign(
    image: bytes,
    mime: str,
    *,
    source_type: str = TRAINED,
    generator: str = "TestGen/1.0",
    remote_url: str | None = None,
) -> bytes:
    cert_pem, key_pem = chain()
    settings = json.loads(json.dumps(OFFLINE_SETTINGS))
    settings["builder"] = {"thumbnail": {"enabled": False}}
    context = c2pa.Context(c2pa.Settings.from_dict(settings))
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, cert_pem, key_pem, None)
    )
    try:
        with c2pa.Builder(_definition(mime, source_type, generator), context=context) as builder:
            if remote_url:
                builder.set_no_embed()
                builder.set_remote_url(remote_url)
            out = io.BytesIO()
            builder.sign(signer, mime, io.BytesIO(image), out)
            return out.getvalue()
    finally:
        signer.close()
