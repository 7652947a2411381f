"""Instance admins on the web: the sign-ups waiting under `registrations = "approval"`, approved
or rejected at /admin/signups, on a real instance over HTTP; who is an admin, set with the CLI;
and an older database gaining the `admin` column on start.

Each sign-up comes from its own loopback address (127.0.0.N), as from a different person: the
instance takes five sign-ups an hour from one address."""

from __future__ import annotations

import itertools
import sqlite3

import httpx
import pytest

from tests.fake_peer import FakePeer
from tests.instances import wait_for, wait_handled
from tests.web_client import PASSWORD, add_member, form_token, sign_up, signed_in, submit

APPROVAL = 'registrations = "approval"'
_addresses = (f"127.0.0.{n}" for n in itertools.count(10))


@pytest.fixture(scope="module")
def site(make_module_instance):
    """An instance taking sign-ups by approval, with the admin ada and the member mia."""
    instance = make_module_instance("admin", instance_config=APPROVAL)
    instance.cli("user", "add", "ada", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    add_member(instance, "mia")
    return instance


def waiting(instance, name: str, reason: str = "I draw ships") -> None:
    response = sign_up(instance, name, reason, address=next(_addresses))
    assert response.status_code == 200 and "admin will read" in response.text, response.text


def state(instance, name: str) -> list[tuple]:
    return instance.query(
        "SELECT approved, admin FROM actors WHERE local = TRUE AND username = ?", name
    )


def can_sign_in(instance, name: str) -> bool:
    client = httpx.Client(base_url=instance.base_url)
    page = client.get("/login").text
    data = {"csrf": form_token(page, "/login"), "username": name, "password": PASSWORD}
    return client.post("/login", data=data).status_code == 303


def test_sign_ups_wait_oldest_first_with_their_reason_and_approving_lets_them_in(site):
    waiting(site, "neo", "My work is at https://neo.example\n& <b>ink</b>")
    waiting(site, "oona")
    ada = signed_in(site, "ada")
    count = site.query("SELECT count(*) FROM actors WHERE approved = FALSE")[0][0]
    assert f'<a href="/admin/signups">Sign-ups ({count} waiting)</a>' in ada.get("/home").text
    page = ada.get("/admin/signups").text
    assert "My work is at https://neo.example\n&amp; &lt;b&gt;ink&lt;/b&gt;" in page
    assert page.index("<h2>neo</h2>") < page.index("<h2>oona</h2>")
    assert not can_sign_in(site, "neo")

    approved = submit(ada, "/admin/signups", "/admin/signups/neo/approve")
    assert approved.status_code == 303
    assert approved.headers["location"] == "/admin/signups?approved=neo"
    assert state(site, "neo") == [(1, 0)]
    assert can_sign_in(site, "neo")
    after = ada.get(approved.headers["location"]).text
    assert "Approved neo: they can sign in now." in after and "<h2>neo</h2>" not in after
    assert f"Sign-ups ({count - 1} waiting)" in after

    # The same form sent again: already decided, said so, nothing changes.
    token = form_token(page, "/admin/signups/neo/approve")
    again = ada.post("/admin/signups/neo/approve", data={"csrf": token})
    assert again.status_code == 409 and "approved already" in again.text
    assert state(site, "neo") == [(1, 0)]


def test_rejecting_asks_to_confirm_then_frees_the_name_and_they_cannot_sign_in(site):
    waiting(site, "rex")
    ada = signed_in(site, "ada")
    unconfirmed = submit(ada, "/admin/signups", "/admin/signups/rex/reject")
    assert unconfirmed.status_code == 400 and "tick the box to confirm" in unconfirmed.text
    assert state(site, "rex") == [(0, 0)]

    rejected = submit(ada, "/admin/signups", "/admin/signups/rex/reject", data={"confirm": "yes"})
    assert rejected.status_code == 303
    assert state(site, "rex") == []
    assert "Rejected rex: the name is free." in ada.get(rejected.headers["location"]).text
    assert not can_sign_in(site, "rex")

    # Deciding a name no longer waiting, on the web or with the CLI: a clear no, no change.
    token = form_token(ada.get("/admin/signups").text, "/logout")
    for verb in ("approve", "reject"):
        gone = ada.post(f"/admin/signups/rex/{verb}", data={"csrf": token, "confirm": "yes"})
        assert gone.status_code == 404 and "no sign-up named &#39;rex&#39; is waiting" in gone.text
    cli = site.cli("user", "approve", "rex", check=False)
    assert cli.returncode == 1 and "no sign-up named 'rex' is waiting" in cli.stderr
    assert state(site, "rex") == []

    waiting(site, "rex", "second try")  # the name is free again
    assert site.query("SELECT signup_reason FROM actors WHERE username = 'rex'") == [
        ("second try",)
    ]


def test_a_member_who_is_not_an_admin_gets_403_and_changes_nothing(site):
    waiting(site, "pia")
    mia = signed_in(site, "mia")
    home = mia.get("/home").text
    assert "/admin/signups" not in home
    page = mia.get("/admin/signups")
    assert page.status_code == 403 and "only the instance&#39;s admins" in page.text
    token = form_token(home, "/logout")  # her own valid token
    for verb in ("approve", "reject"):
        refused = mia.post(f"/admin/signups/pia/{verb}", data={"csrf": token, "confirm": "yes"})
        assert refused.status_code == 403 and "admins" in refused.text
    assert state(site, "pia") == [(0, 0)]


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(site):
    waiting(site, "quin")
    visitor = httpx.Client(base_url=site.base_url)
    page = visitor.get("/admin/signups")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/admin/signups"
    posted = visitor.post("/admin/signups/quin/approve", data={"csrf": "x"})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    assert state(site, "quin") == [(0, 0)]


def test_a_forged_or_cross_site_form_is_refused_and_changes_nothing(site):
    waiting(site, "uma")
    ada = signed_in(site, "ada")
    forged = ada.post("/admin/signups/uma/approve", data={"csrf": "forged"})
    assert forged.status_code == 403 and "did not come from this site" in forged.text
    token = form_token(ada.get("/admin/signups").text, "/admin/signups/uma/reject")
    cross = ada.post(
        "/admin/signups/uma/reject",
        data={"csrf": token, "confirm": "yes"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403 and "another site" in cross.text
    assert state(site, "uma") == [(0, 0)]


def test_the_cli_grants_and_revokes_the_admin_role(site):
    add_member(site, "kim")
    kim = signed_in(site, "kim")
    assert kim.get("/admin/signups").status_code == 403
    assert "is now an admin" in site.cli("user", "admin", "kim").stdout
    assert "is already an admin" in site.cli("user", "admin", "kim").stdout
    assert kim.get("/admin/signups").status_code == 200  # the same session, at once
    listing = site.cli("user", "list").stdout.splitlines()
    assert [line.split("@")[1] for line in listing if line.endswith("\tadmin")] == ["ada", "kim"]

    assert "is no longer an admin" in site.cli("user", "admin", "kim", "--revoke").stdout
    assert kim.get("/admin/signups").status_code == 403
    assert state(site, "kim") == [(1, 0)]

    unknown = site.cli("user", "admin", "ghost", check=False)
    assert unknown.returncode == 1
    assert unknown.stderr == (
        "cara-fed: there is no local account named 'ghost' (see: cara-fed user list)\n"
    )
    waiting(site, "val")
    pending = site.cli("user", "admin", "val", check=False)
    assert pending.returncode == 1 and "approve it first" in pending.stderr
    assert state(site, "val") == [(0, 0)]


def test_an_older_database_gains_the_admin_column_on_start(make_instance):
    """A database from before the admin role (and before migrations): the server adds the
    column on start, nobody is an admin, and the CLI can then make one, who finds the page
    empty."""
    old = make_instance("older", instance_config=APPROVAL)
    add_member(old, "ola")
    old.stop()
    with sqlite3.connect(old.database) as db:
        db.execute('ALTER TABLE actors DROP COLUMN "admin"')
        # ...nor the columns and table added since (0003).
        db.execute('ALTER TABLE actors DROP COLUMN "made_as"')
        db.execute('ALTER TABLE posts DROP COLUMN "made_as"')
        db.execute('ALTER TABLE media_attachments DROP COLUMN "credentials"')
        db.execute('DROP TABLE "trusted_credentials"')
        # ...nor the safety tools' tables (0004), the markers and the moves' columns (0005).
        for column in ("also_known_as", "moved_to", "moved_at"):
            db.execute(f'ALTER TABLE actors DROP COLUMN "{column}"')
        tables = ("account_blocks", "account_mutes", "member_domain_blocks", "reports", "markers")
        for table in tables:
            db.execute(f'DROP TABLE "{table}"')
        # ...nor the imports' tables and the posts' columns (0006).
        for table in ("import_drafts", "import_jobs"):
            db.execute(f'DROP TABLE "{table}"')
        for column in ("source_url", "imported"):
            db.execute(f'ALTER TABLE posts DROP COLUMN "{column}"')
        # ...nor the accounts' tables and the sessions' columns (0007).
        for table in ("account_emails", "password_resets", "outbound_mail", "two_factors",
                      "sign_in_challenges", "export_jobs"):  # fmt: skip
            db.execute(f'DROP TABLE "{table}"')
        for column in ("user_agent", "address", "last_seen_at"):
            db.execute(f'ALTER TABLE web_sessions DROP COLUMN "{column}"')
        for column in ("deleted_at", "suspended_at"):
            db.execute(f'ALTER TABLE actors DROP COLUMN "{column}"')
        # A release before migrations: no record of them, nor the tables made since (0002).
        for table in ("tortoise_migrations", "idempotency_keys", "rate_events"):
            db.execute(f'DROP TABLE "{table}"')
    columns = {row[1] for row in old.query("PRAGMA table_info(actors)")}
    assert "admin" not in columns and "approved" in columns
    old.start()
    assert "admin" in {row[1] for row in old.query("PRAGMA table_info(actors)")}
    assert state(old, "ola") == [(1, 0)]
    old.cli("user", "admin", "ola")
    page = signed_in(old, "ola").get("/admin/signups")
    assert page.status_code == 200 and "No sign-ups are waiting." in page.text
    # No count when none wait (the link is marked as the page it is on).
    assert '<a href="/admin/signups" aria-current="page">Sign-ups</a>' in page.text


def test_a_sign_up_waiting_for_approval_is_not_there_for_other_servers(site):
    """Its WebFinger, actor and inbox answer 404 and a Follow of it is dropped, as Mastodon
    treats an account not yet approved; once approved it is followed as any other."""
    waiting(site, "nel")
    uri = f"{site.base_url}/users/nel"
    peer = FakePeer().start()
    try:
        fan = peer.add_actor("fan")
        finger = {"resource": f"acct:nel@{site.domain}"}
        assert httpx.get(f"{site.base_url}/.well-known/webfinger", params=finger).status_code == 404
        assert httpx.get(uri, headers={"Accept": "application/activity+json"}).status_code == 404

        def follow() -> dict:
            return {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": peer.new_id(fan),
                "type": "Follow",
                "actor": fan,
                "object": uri,
            }

        assert peer.send(fan, f"{uri}/inbox", follow()).status_code == 404
        dropped = follow()
        assert peer.send(fan, f"{site.base_url}/inbox", dropped).status_code == 202
        wait_handled(site, dropped["id"])
        assert site.query(
            "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.followee_id"
            " WHERE a.username = 'nel'"
        ) == [(0,)]

        site.cli("user", "approve", "nel")
        assert httpx.get(f"{site.base_url}/.well-known/webfinger", params=finger).status_code == 200
        accepted = follow()
        assert peer.send(fan, f"{uri}/inbox", accepted).status_code == 202
        wait_for(lambda: peer.by_inbox("Accept"), what="the Accept of the approved account")
        accepts = [a for ids in peer.by_inbox("Accept").values() for a in ids]
        assert len(accepts) == 1  # the first Follow was dropped
    finally:
        peer.stop()
