"""Screening end to end: B (a server that does not screen) sends generated work to followers on
A; A refuses it, keeps only moderation records, and lets clean work through. Listed sources
are held for review and decided by the admin. A's own members are screened on upload."""

from __future__ import annotations

import hashlib
import json

import httpx

from tests.e2e.crafted import create_note, signed
from tests.inbox.screening import images as img
from tests.instances import wait_for

UNSCREENED = "[screening]\nenabled = false\n"


def records(instance, state: str | None = None) -> list[str]:
    args = ["moderation", "list"] + (["--state", state] if state else [])
    out = instance.cli(*args).stdout.strip()
    return [] if out.startswith("no moderation records") else out.splitlines()


def test_generated_work_is_refused_and_clean_work_arrives(make_instance, tmp_path):
    a = make_instance("a")
    b = make_instance("b", extra_config=UNSCREENED)
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout

    # NovelAI's alpha-channel copy survives B's lossless PNG re-encoding.
    marked = tmp_path / "marked.png"
    marked.write_bytes(
        img.hide_stealth(
            img.photo("astronaut").resize((256, 256)), {"prompt": "1girl", "steps": 28}
        )
    )
    clean = tmp_path / "clean.png"
    clean.write_bytes(img.encode(img.photo("coffee").resize((300, 200)), "PNG"))
    # Another picture: a declared image joins A's hash list, and the same one sent again
    # untagged would be refused by that list.
    declared = tmp_path / "declared.png"
    declared.write_bytes(img.encode(img.photo("chelsea").resize((300, 200)), "PNG"))
    b.cli("post", "bob", "--image", str(marked), "--alt", "a portrait", "--text", "new work")
    b.cli("post", "bob", "--image", str(declared), "--alt", "a cat", "--text", "fresh #AIart")
    b.cli("post", "bob", "--image", str(clean), "--alt", "a cup", "--text", "coffee study")

    [entry] = wait_for(lambda: a.timeline("alice"), what="the clean post")
    assert "coffee study" in entry["content"] and len(entry["media"]) == 1
    wait_for(lambda: len(records(a, "refused")) == 2, what="two refusals")
    listed = "\n".join(records(a, "refused"))
    assert "generator" in listed and "declaration" in listed
    assert f"{b.base_url}/users/bob" in listed
    assert a.query("SELECT count(*) FROM posts") == [(1,)]
    # Both refused images are on A's hash list, by reason, with the record that decided.
    assert sorted(a.query("SELECT reason, record_id IS NOT NULL FROM hash_entries")) == [
        ("declaration", 1),
        ("provenance", 1),
    ]
    # Nothing of the refused images is kept, only their hashes in the records.
    kept = {p.name for p in (a.root / "data" / "media" / "remote").iterdir()}
    [(hashes,)] = a.query(
        "SELECT media_sha256 FROM moderation_records WHERE reason LIKE '%alpha channel%'"
    )
    assert hashes and all(f"{h}.png" not in kept for h in json.loads(hashes))
    stats = a.cli("moderation", "stats").stdout
    assert b.domain in stats

    # The admin lists B's domain as a source of generated art: its posts are held.
    a.cli("sources", "add", "domain", b.domain, "--note", "posts generated art")
    b.cli("post", "bob", "--image", str(clean), "--alt", "a cup", "--text", "second cup")
    b.cli("post", "bob", "--image", str(clean), "--alt", "a cup", "--text", "third cup")
    held = wait_for(
        lambda: records(a, "review") if len(records(a, "review")) == 2 else None,
        what="two held posts",
    )
    assert all("listed_source" in line for line in held)
    assert [e["content"] for e in a.timeline("alice")] == ["<p>coffee study</p>"]
    second, third = sorted(int(line.split()[0]) for line in held)
    a.cli("moderation", "approve", str(second))
    rejected = a.cli("moderation", "reject", str(third)).stdout
    # A rejection lists the held image in A's hash list, as the moderator's decision.
    assert "listed 1 image(s)" in rejected
    assert a.query("SELECT count(*) FROM hash_entries WHERE reason = 'moderator'") == [(1,)]
    contents = [e["content"] for e in a.timeline("alice")]
    assert "<p>second cup</p>" in contents and "<p>third cup</p>" not in contents
    shown = a.cli("moderation", "show", str(third)).stdout
    assert '"state": "rejected"' in shown


def test_a_members_generated_upload_is_refused_with_the_reason(make_instance, tmp_path):
    a = make_instance("solo")
    a.cli("user", "add", "ann")
    marked = tmp_path / "gen.png"
    marked.write_bytes(
        img.png_with_text(img.photo("rocket").resize((200, 150)), parameters=img.A1111_PARAMETERS)
    )
    result = a.cli("post", "ann", "--image", str(marked), "--alt", "a rocket", check=False)
    assert result.returncode == 1
    assert "was refused: generator: PNG 'parameters' chunk of AUTOMATIC1111" in result.stderr
    assert a.query("SELECT count(*) FROM posts") == [(0,)]
    [(origin, state, hashes)] = a.query(
        "SELECT origin, state, media_sha256 FROM moderation_records"
    )
    assert (origin, state) == ("local", "refused")
    assert hashlib.sha256(marked.read_bytes()).hexdigest() in hashes
    appealed = a.cli("moderation", "appeal", "1", "--note", "I painted this in Krita")
    assert "appeal is noted" in appealed.stdout
    assert "I painted this in Krita" in a.cli("moderation", "show", "1").stdout


def test_a_held_upload_stays_unpublished_until_approved(make_instance, tmp_path):
    a = make_instance("a", extra_config='[screening]\ndeclaration_outcome = "review"\n')
    b = make_instance("b", extra_config=UNSCREENED)  # B would refuse the #aiart tag itself
    a.cli("user", "add", "ann")
    b.cli("user", "add", "ben")
    assert "accepted" in b.cli("follow", "ben", f"ann@{a.domain}").stdout
    picture = tmp_path / "p.png"
    picture.write_bytes(img.encode(img.photo("chelsea").resize((200, 150)), "PNG"))
    page = a.cli(
        "post", "ann", "--image", str(picture), "--alt", "a cat", "--text", "cat study #aiart?"
    ).stdout.strip()
    assert httpx.get(page).status_code == 404  # held: not public
    assert a.query("SELECT count(*) FROM outbound_activities WHERE kind = 'Create'") == [(0,)]
    [line] = records(a, "review")
    record_id = line.split()[0]
    a.cli("moderation", "appeal", record_id, "--note", "the tag was a question, I drew it")
    a.cli("moderation", "approve", record_id)
    assert httpx.get(page).status_code == 200
    [entry] = wait_for(lambda: b.timeline("ben"), what="the approved post to federate")
    assert "cat study" in entry["content"]


def test_an_edit_that_drops_the_declaration_does_not_release_a_held_post(make_instance, tmp_path):
    """Issue 18, item 6: a held post stays held until a moderator decides; the edit is
    screened and put on the post's open review record."""
    a = make_instance("a", extra_config='[screening]\ndeclaration_outcome = "review"\n')
    b = make_instance("b", extra_config=UNSCREENED)
    a.cli("user", "add", "alice")
    b.cli("user", "add", "bob")
    assert "accepted" in a.cli("follow", "alice", f"bob@{b.domain}").stdout
    picture = tmp_path / "cup.png"
    picture.write_bytes(img.encode(img.photo("coffee").resize((300, 200)), "PNG"))
    b.cli("post", "bob", "--image", str(picture), "--alt", "a cup", "--text", "fresh #AIart")
    [line] = wait_for(lambda: records(a, "review") or None, what="the post held for review")
    [(post_uri, held)] = a.query("SELECT uri, held FROM posts")
    assert held == 1
    [(media_url, media_type)] = a.query("SELECT remote_url, media_type FROM media_attachments")

    bob = f"{b.base_url}/users/bob"
    edited = create_note(
        bob,
        content="<p>fresh</p>",
        attachment=[{"type": "Document", "mediaType": media_type, "url": media_url,
                     "name": "a cup"}],
    )["object"]  # fmt: skip
    edited |= {"id": post_uri, "updated": "2026-12-05T12:00:00Z"}
    update = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{post_uri}#updates/1",
        "type": "Update",
        "actor": bob,
        "to": edited["to"],
        "object": edited,
    }
    body = json.dumps(update).encode()
    key_id, pem = b.private_key("bob")
    url = f"{a.base_url}/inbox"
    assert httpx.post(url, content=body, headers=signed(url, body, key_id, pem)).status_code == 202
    wait_for(
        lambda: (
            a.query("SELECT state FROM inbound_activities WHERE uri = ?", update["id"])
            == [("done",)]
        ),
        what="the Update handled",
    )
    assert a.query("SELECT held, content FROM posts") == [(1, "<p>fresh</p>")]
    assert a.timeline("alice") == []
    [again] = records(a, "review")  # the same record, not a second one
    assert again.split()[0] == line.split()[0]
    [(reason,)] = a.query("SELECT reason FROM moderation_records")
    assert reason.startswith("edited while held")
    a.cli("moderation", "approve", line.split()[0])
    [entry] = wait_for(lambda: a.timeline("alice"), what="the approved post")
    assert entry["content"] == "<p>fresh</p>"
