"""Content Credentials across servers: a work federated from A shows "Content Credentials:
made by …" on B once B's admin trusts A's CA (and not before), and on C at once when C
trusts a server's published CA on first contact. Real instances, real signed images,
c2pa-python on both ends."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx

from cloak import content_credentials as cc
from tests.conftest import artwork
from tests.instances import wait_for
from tests.web_client import add_member, signed_in

LINE = "Content Credentials: made by Ada Lovelace (@ada@{domain}), not for AI training"
FIRST_CONTACT = "[screening]\ncredentials_trust_on_first_contact = true"


JS = Path(__file__).resolve().parents[1] / "js"


def node_reads(path: Path, media_type: str, ca: Path | None = None) -> cc.Credentials | None:
    """What the second reader, c2pa-node (tests/js, installed by `scripts/setup test`), says
    of a file: its manifest store, summarised by the same code as c2pa-python's."""
    done = subprocess.run(
        ["node", str(JS / "c2pa_read.mjs"), str(path), media_type, *([str(ca)] if ca else [])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    store = json.loads(done.stdout)
    return cc.summarize(store) if store else None


def credentials(instance) -> list[dict | None]:
    rows = instance.query("SELECT credentials FROM media_attachments ORDER BY id")
    return [json.loads(c) if c else None for (c,) in rows]


def home(instance, name: str) -> str:
    page = signed_in(instance, name).get("/home")
    assert page.status_code == 200
    return page.text


def test_a_peers_credentials_show_once_it_is_trusted(make_instance, tmp_path):
    a = make_instance("a")
    b = make_instance("b")
    c = make_instance("c", extra_config=FIRST_CONTACT)
    a.cli("user", "add", "ada", "--display-name", "Ada Lovelace")
    for site in (b, c):
        add_member(site, "reader")
        assert "accepted" in site.cli("follow", "reader", f"ada@{a.domain}").stdout
    picture = tmp_path / "sea.jpg"
    picture.write_bytes(artwork(320, 240, seed=41))
    line = LINE.format(domain=a.domain)

    a.cli("post", "ada", "--image", str(picture), "--alt", "a sea", "--made-as", "scan")
    wait_for(lambda: credentials(b) and credentials(c), what="the work on B and C")
    # B trusts nobody yet: the signature holds, the signer is not trusted; nothing is shown.
    [before] = credentials(b)
    assert before["state"] == "untrusted" and before["actor_url"] == f"{a.base_url}/users/ada"
    assert "Content Credentials" not in home(b, "reader")
    # C trusted A's published CA on first contact, since its admin allows that.
    [first] = credentials(c)
    assert first["state"] == "trusted" and first["made_as"] == "scan"
    assert line in home(c, "reader")
    listed = c.cli("credentials", "trusted").stdout
    assert a.domain in listed and "first-contact" in listed

    # A second, independent reader (c2pa-node) says the same of the image A publishes: valid,
    # trusted only under A's CA, with the creator, the declaration and no AI training; and
    # it sees a changed byte of the pixels.
    [(name, media_type)] = a.query("SELECT file_name, media_type FROM media_attachments")
    published, ca_file = tmp_path / "published", tmp_path / "a-ca.pem"
    published.write_bytes(httpx.get(f"{a.base_url}/media/{name}").content)
    ca_file.write_text(httpx.get(f"{a.base_url}/.well-known/content-credentials.pem").text)
    untrusted = node_reads(published, media_type)
    trusted = node_reads(published, media_type, ca_file)
    assert untrusted.validation_state == "Valid" and not untrusted.trusted
    assert trusted.validation_state == "Trusted" and trusted.signature_valid
    assert (trusted.creator_name, trusted.handle, trusted.actor_url) == (
        "Ada Lovelace",
        f"@ada@{a.domain}",
        f"{a.base_url}/users/ada",
    )
    assert trusted.source_type == cc.MADE_AS["scan"] and trusted.no_training
    changed = bytearray(published.read_bytes())
    changed[-200] ^= 0xFF
    published.write_bytes(bytes(changed))
    broken = node_reads(published, media_type, ca_file)
    assert broken.validation_state == "Invalid" and "assertion.dataHash.mismatch" in broken.failures

    # B's admin trusts A (fetched from its well-known URL): the work already here shows it.
    said = b.cli("credentials", "trust", a.base_url).stdout
    ca = httpx.get(f"{a.base_url}/.well-known/content-credentials.pem").text
    assert "now trusts" in said and "1 image(s) already here" in said
    assert b.query("SELECT ca_pem, source FROM trusted_credentials") == [(ca, "admin")]
    page = home(b, "reader")
    assert line in page and "a scan of a physical work" in page
    # ...and so does the next work, on arrival.
    a.cli("post", "ada", "--image", str(picture), "--alt", "the sea again")
    wait_for(lambda: len(credentials(b)) == 2, what="the second work on B")
    assert [r["state"] for r in credentials(b)] == ["trusted", "trusted"]
    assert credentials(b)[1]["made_as"] == "digital"

    # Without the trust, new works show nothing again; a CA file that is not one is refused.
    b.cli("credentials", "distrust", a.domain)
    bad = tmp_path / "not-a-ca.pem"
    bad.write_text("hello")
    refused = b.cli("credentials", "trust", a.domain, "--file", str(bad), check=False)
    assert refused.returncode == 1 and "not a PEM certificate" in refused.stderr
    assert b.query("SELECT count(*) FROM trusted_credentials") == [(0,)]
    a.cli("post", "ada", "--image", str(picture), "--alt", "a third sea")
    wait_for(lambda: len(credentials(b)) == 3, what="the third work on B")
    assert credentials(b)[2]["state"] == "untrusted"
