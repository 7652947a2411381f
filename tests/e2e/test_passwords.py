"""Passwords and email (issue 26) against a running instance and a real SMTP server
(tests/mail_server.py): a member changes their password and their other browsers are signed
out; a forgotten password is reset through a mailed link that works once, for an hour, for
its own account only; an unknown address, a used, expired or misdirected link all get the
same answer and change nothing; requests are rate limited; mail the server could not take is
kept and sent once it can; admins set passwords and addresses from the CLI."""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest
from mastodon import MastodonUnauthorizedError

from tests.api.test_posting_mastodon_py import sign_in_app
from tests.instances import wait_for
from tests.mail_server import MailServer, link_in
from tests.web.html5 import assert_valid_html
from tests.web_client import PASSWORD, add_member, form_token, signed_in, submit

NEW = "a new and longer secret"
SENT = "If an account here has that address, a message with a link"
INVALID = "this reset link does not work"


@pytest.fixture(scope="module")
def mail(tmp_path_factory):
    server = MailServer(tmp_path_factory.mktemp("mail")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(make_module_instance, mail):
    site = make_module_instance(
        "passwords", extra_config=mail.config() + "retry_base_seconds = 0.5\n"
    )
    for name in ("alice", "bob", "carol", "dan", "erin"):
        site.cli("user", "add", name, "--email", f"{name}@mail.test", "--password-stdin",
                 stdin=PASSWORD + "\n")  # fmt: skip
    add_member(site, "nomail")
    return site


def client_from(site, address: str) -> httpx.Client:
    """A browser at its own loopback address: the reset form takes five requests an hour
    from one address, and each test asks from its own."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=site.base_url, transport=transport, timeout=30)


def ask_reset(client: httpx.Client, email: str) -> httpx.Response:
    page = client.get("/password/forgot").text
    token = form_token(page, "/password/forgot")
    return client.post("/password/forgot", data={"csrf": token, "email": email})


def hash_of(site, name: str) -> str:
    [(value,)] = site.query("SELECT password_hash FROM actors WHERE username = ?", name)
    return value


def can_sign_in(site, name: str, password: str) -> bool:
    with httpx.Client(base_url=site.base_url) as client:
        page = client.get("/login").text
        data = {"csrf": form_token(page, "/login"), "username": name, "password": password}
        return client.post("/login", data=data).status_code == 303


def signed_out(client: httpx.Client) -> bool:
    response = client.get("/home")
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def reset_with(client: httpx.Client, link: str, password: str, account: str | None = None):
    """Fill the link's form as a browser does: its account field, and the box to sign out
    the apps, which is ticked."""
    page = client.get(link)
    if page.status_code != 200:
        return page
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert 'name="revoke_apps" value="yes" checked' in page.text
    shown = re.search(r'name="account" value="([^"]+)"', page.text).group(1)
    data = {"csrf": form_token(page.text, path), "password": password,
            "account": account or shown, "revoke_apps": "yes"}  # fmt: skip
    return client.post(link, data=data)


def test_a_member_changes_their_password_and_their_other_browsers_are_signed_out(site):
    here, elsewhere = signed_in(site, "alice"), signed_in(site, "alice")
    app = sign_in_app(site, "alice")
    page = here.get("/settings/account")
    assert page.status_code == 200 and 'value="alice@mail.test"' in page.text
    token = form_token(page.text, "/settings/account")
    before = hash_of(site, "alice")

    def change(current: str, new: str, **extra) -> httpx.Response:
        data = {"csrf": token, "action": "password", "current": current, "new": new, **extra}
        return here.post("/settings/account", data=data)

    wrong = change("not my password", NEW)
    assert wrong.status_code == 400 and "the current password is wrong" in wrong.text
    short = change(PASSWORD, "short")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert hash_of(site, "alice") == before and not signed_out(elsewhere)

    done = change(PASSWORD, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/settings/account?done=password"
    assert (
        "Every other browser signed in as you is signed out"
        in here.get(done.headers["location"]).text
    )
    assert signed_out(elsewhere) and not signed_out(here)
    assert can_sign_in(site, "alice", NEW) and not can_sign_in(site, "alice", PASSWORD)
    assert app.account_verify_credentials()["username"] == "alice"  # apps kept unless asked

    again = change(NEW, PASSWORD, revoke_apps="yes")
    assert again.status_code == 303
    with pytest.raises(MastodonUnauthorizedError):
        app.account_verify_credentials()


def test_a_forgotten_password_is_reset_through_a_mailed_link_that_works_once(site, mail):
    old_browser = signed_in(site, "bob")
    app = sign_in_app(site, "bob")
    browser = client_from(site, "127.0.0.2")
    asked = ask_reset(browser, "Bob@Mail.test ")
    assert asked.status_code == 200 and SENT in asked.text
    [message] = mail.wait_for("bob@mail.test")
    assert message["Subject"] == "Set a new password on test passwords"
    assert message["From"] == "test passwords <art@cara.test>"
    assert message.get_body(("html",)) is not None and message["Date"] and message["Message-ID"]
    link = link_in(message)
    assert link.startswith(f"{site.base_url}/password/reset/")
    assert link in message.get_body(("html",)).get_content()
    # The link is in the database only as its digest, and the mail's body is gone once sent.
    token = link.rsplit("/", 1)[1]
    assert site.query("SELECT count(*) FROM password_resets WHERE token_hash = ?", token) == [(0,)]
    assert site.query("SELECT state, text, html FROM outbound_mail WHERE to_address = ?",
                      "bob@mail.test") == [("sent", "", "")]  # fmt: skip

    form = browser.get(link)
    assert form.status_code == 200 and "Set a new password for @bob" in form.text
    short = reset_with(browser, link, "short")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    done = reset_with(browser, link, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=done"
    assert "Your new password is set" in browser.get("/login?reset=done").text
    assert signed_out(old_browser)
    assert can_sign_in(site, "bob", NEW) and not can_sign_in(site, "bob", PASSWORD)
    with pytest.raises(MastodonUnauthorizedError):  # the box was ticked by default
        app.account_verify_credentials()

    used = reset_with(browser, link, "yet another password")
    assert used.status_code == 404 and INVALID in used.text
    assert can_sign_in(site, "bob", NEW)


def test_unknown_addresses_and_dead_or_misdirected_links_get_the_same_answer(site, mail):
    browser = client_from(site, "127.0.0.3")
    known, unknown = ask_reset(browser, "carol@mail.test"), ask_reset(browser, "nobody@mail.test")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    malformed = ask_reset(browser, "not an address")
    assert malformed.status_code == 200 and malformed.text == known.text
    [message] = mail.wait_for("carol@mail.test")
    assert mail.to("nobody@mail.test") == []
    carol_link = link_in(message)

    other = client_from(site, "127.0.0.4")
    ask_reset(other, "dan@mail.test")
    dan_link = link_in(mail.wait_for("dan@mail.test")[0])
    carol_before, dan_before = hash_of(site, "carol"), hash_of(site, "dan")

    # dan's link sent as if for carol: refused, nothing changed, and dan's link still works.
    misdirected = reset_with(browser, dan_link, NEW, account="carol")
    assert misdirected.status_code == 404 and INVALID in misdirected.text
    assert (hash_of(site, "carol"), hash_of(site, "dan")) == (carol_before, dan_before)
    # An hour passes for carol's link.
    with sqlite3.connect(site.database) as db:
        db.execute("UPDATE password_resets SET expires_at = '2000-01-01 00:00:00+00:00' "
                   "WHERE actor_id = (SELECT id FROM actors WHERE username = 'carol')")  # fmt: skip
    expired_get = browser.get(carol_link)
    made_up = browser.get(f"{site.base_url}/password/reset/{'x' * 43}")
    assert expired_get.status_code == made_up.status_code == 404
    assert INVALID in expired_get.text and INVALID in made_up.text
    page = browser.get("/password/forgot").text
    expired_post = browser.post(carol_link, data={"csrf": form_token(page, "/password/forgot"),
                                                  "password": NEW, "account": "carol"})  # fmt: skip
    assert expired_post.status_code == 404 and INVALID in expired_post.text
    assert hash_of(site, "carol") == carol_before
    assert reset_with(other, dan_link, NEW).status_code == 303
    assert can_sign_in(site, "dan", NEW)


def test_reset_requests_are_rate_limited_per_address_asked_about(site, mail):
    for n in range(5):
        assert ask_reset(client_from(site, f"127.0.1.{n + 1}"), "erin@mail.test").status_code == 200
    refused = ask_reset(client_from(site, "127.0.1.9"), "erin@mail.test")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "too many reset requests" in refused.text
    assert len(mail.wait_for("erin@mail.test", count=5)) == 5
    # The limit is on the address asked about, known or not: it tells nothing.
    for n in range(5):
        ask_reset(client_from(site, f"127.0.2.{n + 1}"), "ghost@mail.test")
    assert ask_reset(client_from(site, "127.0.2.9"), "ghost@mail.test").status_code == 429


def test_mail_the_server_could_not_take_is_kept_and_sent_when_it_can(make_instance, tmp_path):
    mail = MailServer(tmp_path)  # not started: the mail server is down
    site = make_instance("maildown", extra_config=mail.config() + "retry_base_seconds = 0.5\n")
    site.cli("user", "add", "fay", "--email", "fay@mail.test", "--password-stdin",
             stdin=PASSWORD + "\n")  # fmt: skip
    assert SENT in ask_reset(client_from(site, "127.0.0.5"), "fay@mail.test").text

    def tried() -> list[tuple]:
        return site.query("SELECT state, attempts, last_error FROM outbound_mail")

    wait_for(lambda: tried() and tried()[0][1] >= 2, what="two failed attempts")
    [(state, _, error)] = tried()
    assert state == "pending" and "Connect" in error
    mail.start()
    try:
        [message] = mail.wait_for("fay@mail.test", timeout=30)
        assert "/password/reset/" in link_in(message)
        assert [row[0] for row in tried()] == ["sent"]
    finally:
        mail.stop()


def test_without_mail_the_pages_say_so_and_admins_reset_from_the_cli(make_instance):
    site = make_instance("nomail", instance_config='registrations = "open"')
    add_member(site, "gus")
    browser = signed_in(site, "gus")
    page = httpx.get(f"{site.base_url}/password/forgot")
    assert page.status_code == 200 and "This server does not send mail" in page.text
    assert '<form class="stacked" method="post" action="/password/forgot">' not in page.text
    assert (
        httpx.post(f"{site.base_url}/password/forgot", data={"email": "x@y.z"}).status_code == 503
    )

    out = site.cli("user", "password", "gus", "--password-stdin", stdin=NEW + "\n").stdout
    assert out.strip() == "password set for @gus; 1 web session(s) ended"
    assert signed_out(browser) and can_sign_in(site, "gus", NEW)
    short = site.cli("user", "password", "gus", "--password-stdin", stdin="short\n", check=False)
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    assert can_sign_in(site, "gus", NEW)

    assert site.cli("user", "email", "gus").stdout.strip() == "@gus has no email address"
    assert site.cli("user", "email", "gus", "Gus@Example.ORG").stdout.strip() == (
        "@gus's address is gus@example.org"
    )
    site.cli("user", "add", "hal", "--email", "hal@example.org")
    taken = site.cli("user", "email", "hal", "gus@example.org", check=False)
    assert taken.returncode == 1 and "belongs to another account" in taken.stderr
    bad = site.cli("user", "add", "ivy", "--email", "not-an-address", check=False)
    assert bad.returncode == 1 and "is not an email address" in bad.stderr
    assert site.query("SELECT count(*) FROM actors WHERE username = 'ivy'") == [(0,)]
    # Sign-up asks for an address, optional where no mail is sent.
    signup = httpx.get(f"{site.base_url}/signup").text
    assert 'name="email"' in signup and "optional" in signup


def test_the_pages_and_the_mail_are_valid_html5(site, mail):
    browser = client_from(site, "127.0.0.6")
    pages = {"/password/forgot": browser.get("/password/forgot").text}
    site.cli("user", "email", "nomail", "nomail@mail.test")
    pages["/password/forgot (sent)"] = ask_reset(browser, "nomail@mail.test").text
    [message] = mail.wait_for("nomail@mail.test")
    pages["the reset mail"] = message.get_body(("html",)).get_content()
    short = reset_with(browser, link_in(message), "short")
    assert short.status_code == 400
    pages["/password/reset (too short)"] = short.text
    member = signed_in(site, "nomail")
    wrong = submit(member, "/settings/account", "/settings/account",
                   data={"action": "email", "email": "carol@mail.test"})  # fmt: skip
    assert wrong.status_code == 400 and "belongs to another account" in wrong.text
    pages["/settings/account (address taken)"] = wrong.text
    assert_valid_html(pages)


def test_a_member_sees_where_they_are_signed_in_and_signs_a_browser_out(site):
    """/settings/apps lists the member's browsers (device, address, last seen) beside their
    apps; one is signed out from another, never someone else's."""
    add_member(site, "hana")
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
    phone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1")  # fmt: skip
    desk, mobile = client_from(site, "127.0.3.1"), client_from(site, "127.0.3.2")
    for client, agent in ((desk, firefox), (mobile, phone)):
        client.headers["User-Agent"] = agent
        page = client.get("/login").text
        data = {"csrf": form_token(page, "/login"), "username": "hana", "password": PASSWORD}
        assert client.post("/login", data=data).status_code == 303
    page = desk.get("/settings/apps").text
    assert "<strong>Firefox on Linux</strong>" in page and "from 127.0.3.1" in page
    assert "<strong>Safari on iOS</strong>" in page and "from 127.0.3.2" in page
    assert "<em>this browser</em>" in page and page.count('action="/settings/sessions"') == 1
    [other] = re.findall(r'name="session" value="([0-9a-f]{64})"', page)
    token = form_token(page, "/settings/sessions")
    # Someone else's browser cannot be ended with it, nor this one.
    intruder = signed_in(site, "carol")
    intruder_page = intruder.get("/settings/apps").text
    refused = intruder.post("/settings/sessions", data={
        "csrf": form_token(intruder_page, "/logout"), "session": other})  # fmt: skip
    assert refused.status_code == 404 and not signed_out(mobile)
    ended = desk.post("/settings/sessions", data={"csrf": token, "session": other})
    assert ended.status_code == 303 and signed_out(mobile) and not signed_out(desk)
    assert "Safari on iOS" not in desk.get("/settings/apps").text


def test_a_sign_up_confirms_its_address_before_it_can_sign_in(make_instance, mail):
    site = make_instance(
        "confirming",
        instance_config='registrations = "open"',
        extra_config=mail.config() + "confirm_signups = true\n",
    )
    browser = client_from(site, "127.0.4.1")
    page = browser.get("/signup").text
    data = {"csrf": form_token(page, "/signup"), "username": "jo", "password": PASSWORD,
            "email": "Jo@Mail.test"}  # fmt: skip
    signed_up = browser.post("/signup", data=data)
    assert signed_up.status_code == 200 and "We sent a link to jo@mail.test" in signed_up.text
    [first] = mail.wait_for("jo@mail.test")
    assert first["Subject"] == "Confirm your address on test confirming"
    assert not can_sign_in(site, "jo", PASSWORD)
    with httpx.Client(base_url=site.base_url) as client:
        page = client.get("/login").text
        data = {"csrf": form_token(page, "/login"), "username": "jo", "password": PASSWORD}
        refused = client.post("/login", data=data)
    assert refused.status_code == 403 and "confirm your address first" in refused.text
    actor = f"{site.base_url}/users/jo"
    assert httpx.get(actor, headers={"Accept": "application/activity+json"}).status_code == 404

    # A new link replaces the first; the answer is the same for an address nobody waits on.
    resend = browser.get("/email/confirm").text
    token = form_token(resend, "/email/confirm")
    asked = browser.post("/email/confirm", data={"csrf": token, "email": "jo@mail.test"})
    nobody = browser.post("/email/confirm", data={"csrf": token, "email": "no@mail.test"})
    assert asked.status_code == nobody.status_code == 200 and asked.text == nobody.text
    second = mail.wait_for("jo@mail.test", count=2)[1]
    old_link = link_in(first, "/email/confirm/")
    new_link = link_in(second, "/email/confirm/")
    assert httpx.get(old_link).status_code == 404
    assert httpx.get(f"{site.base_url}/email/confirm/{'x' * 43}").status_code == 404
    confirmed = httpx.get(new_link)
    assert confirmed.status_code == 200 and "your address is confirmed, @jo" in confirmed.text
    assert httpx.get(new_link).status_code == 404  # once
    assert can_sign_in(site, "jo", PASSWORD)
    assert httpx.get(actor, headers={"Accept": "application/activity+json"}).status_code == 200
    pages = {"/email/confirm": resend, "/email/confirm (sent)": asked.text,
             "the confirmation mail": second.get_body(("html",)).get_content()}  # fmt: skip
    assert_valid_html(pages)
