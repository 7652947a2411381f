"""The instance's Content Credentials identity on disk, in `data_dir/credentials/`:
`ca.pem` (the certificate peers pin), `ca-key.pem`, and `signing.pem` (the signing
certificate followed by its key). The keys are readable by the owner only.

The signing certificate and its key share one file so that `credentials rotate` replaces
them together with one rename: a process signing at that moment reads the old pair or the
new one, never half of each. Every process re-reads the file when it changes, so a rotation
applies to running workers without a restart. Several processes starting an older instance
at once may each make an identity; the first directory renamed into place wins and the
others load it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cloak.signing_identity import Identity, make_identity, renew_signing

DIRECTORY = "credentials"
CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
SIGNING_FILE = "signing.pem"
_KEY_MARK = "-----BEGIN PRIVATE KEY-----"


def credentials_dir(data_dir: Path) -> Path:
    return Path(data_dir) / DIRECTORY


def _write(path: Path, text: str, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def _replace(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _write(tmp, text, mode)
    os.replace(tmp, path)


def _signing_text(identity: Identity) -> str:
    return identity.signing_pem + identity.signing_key_pem


def load(data_dir: Path) -> Identity:
    folder = credentials_dir(data_dir)
    signing = (folder / SIGNING_FILE).read_text()
    cert, mark, key = signing.partition(_KEY_MARK)
    if not mark:
        raise ValueError(f"{folder / SIGNING_FILE} holds no private key")
    return Identity(
        (folder / CA_FILE).read_text(), (folder / CA_KEY_FILE).read_text(), cert, mark + key
    )


def ensure(data_dir: Path, domain: str, now: datetime) -> Identity:
    """The identity, made first if this instance has none (`init`, or the first start of an
    instance made by an older release)."""
    folder = credentials_dir(data_dir)
    if folder.is_dir():
        return load(data_dir)
    identity = make_identity(domain, now)
    staging = Path(tempfile.mkdtemp(prefix=".credentials-", dir=data_dir))
    try:
        _write(staging / CA_FILE, identity.ca_pem, 0o644)
        _write(staging / CA_KEY_FILE, identity.ca_key_pem, 0o600)
        _write(staging / SIGNING_FILE, _signing_text(identity), 0o600)
        os.chmod(staging, 0o700)
        os.rename(staging, folder)
    except OSError:
        if not folder.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load(data_dir)


FILES = (CA_FILE, CA_KEY_FILE, SIGNING_FILE)


def files(data_dir: Path) -> dict[str, str]:
    """The identity's files by name, for a backup (empty if the instance has none yet)."""
    folder = credentials_dir(data_dir)
    return {name: (folder / name).read_text() for name in FILES if (folder / name).is_file()}


def install(data_dir: Path, texts: dict[str, str]) -> None:
    """Put a backup's identity in place, so the restored instance signs as the old one did."""
    folder = credentials_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in FILES:
        if name in texts:
            _replace(folder / name, texts[name], 0o644 if name == CA_FILE else 0o600)


def rotate(data_dir: Path, domain: str, now: datetime) -> Identity:
    """A new signing key and certificate under the same CA."""
    renewed = renew_signing(load(data_dir), domain, now)
    _replace(credentials_dir(data_dir) / SIGNING_FILE, _signing_text(renewed), 0o600)
    return renewed


@dataclass
class CredentialsFiles:
    """The identity as this process last read it, read again when `signing.pem` changes."""

    data_dir: Path
    _seen: tuple[int, int] | None = None
    _identity: Identity | None = field(default=None, repr=False)

    def identity(self) -> Identity:
        stat = (credentials_dir(self.data_dir) / SIGNING_FILE).stat()
        seen = (stat.st_mtime_ns, stat.st_ino)
        if self._identity is None or seen != self._seen:
            self._identity, self._seen = load(self.data_dir), seen
        return self._identity
