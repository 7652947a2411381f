"""The Content Credentials identity on disk: made once, kept private, rotated under the same
CA, and re-read by a process that already loaded it."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

from cara_fed import credentials_identity as ci
from cloak.signing_identity import describe

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_made_once_with_private_keys(tmp_path):
    first = ci.ensure(tmp_path, "art.example", NOW)
    folder = ci.credentials_dir(tmp_path)
    assert mode(folder) == 0o700
    assert mode(folder / ci.CA_KEY_FILE) == 0o600 and mode(folder / ci.SIGNING_FILE) == 0o600
    assert mode(folder / ci.CA_FILE) == 0o644
    assert ci.ensure(tmp_path, "art.example", NOW) == first  # loaded, not made again
    assert "art.example Content Credentials CA" in describe(first.ca_pem)["subject"]
    assert describe(first.signing_pem)["issuer"] == describe(first.ca_pem)["subject"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".credentials-")]


def test_rotation_keeps_the_ca_and_a_loaded_identity_follows_it(tmp_path):
    first = ci.ensure(tmp_path, "art.example", NOW)
    files = ci.CredentialsFiles(tmp_path)
    assert files.identity() == first
    rotated = ci.rotate(tmp_path, "art.example", NOW)
    assert rotated.ca_pem == first.ca_pem and rotated.ca_key_pem == first.ca_key_pem
    assert rotated.signing_pem != first.signing_pem
    assert rotated.signing_key_pem != first.signing_key_pem
    assert files.identity() == rotated  # the same object, without a restart
    assert ci.load(tmp_path) == rotated


def test_a_backup_copy_installs_the_same_identity(tmp_path):
    source, target = tmp_path / "old", tmp_path / "new"
    source.mkdir()
    target.mkdir()
    made = ci.ensure(source, "art.example", NOW)
    ci.install(target, ci.files(source))
    assert ci.load(target) == made
    assert mode(ci.credentials_dir(target) / ci.SIGNING_FILE) == 0o600
