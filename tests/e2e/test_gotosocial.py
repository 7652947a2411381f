"""What a GoToSocial user sees (issues 25 and 26), with a real GoToSocial on loopback
(tests/gotosocial.py): following an artist who then moves to another cara-fed instance, the
follow goes with them and their new works arrive; when an artist publishes a back catalogue
of 200 imported works, the follower's home timeline gets none of them (they are kept from
followers' feeds by design) while a new work arrives as usual, and an old work looked up by
its address shows its original date; and when an artist deletes their account, the Delete
reaches GoToSocial and their works leave the follower's timeline.

Skipped where GoToSocial is not built: it is a Go program, built from its public source
outside this repository (tests/gotosocial.py says how to point the tests at it). The
two-instance tests of the same flows (test_moves.py, test_imports.py) run everywhere."""

from __future__ import annotations

import pytest

from tests.conftest import artwork
from tests.gotosocial import GoToSocial, unavailable
from tests.instances import wait_for
from tests.web_client import PASSWORD

pytestmark = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")
BACK_CATALOGUE = 200


@pytest.fixture(scope="module")
def gts(tmp_path_factory):
    server = GoToSocial(tmp_path_factory.mktemp("gotosocial")).start()
    try:
        server.add_user("gina")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def two(make_module_instance):
    a, b = make_module_instance("a"), make_module_instance("b")
    for site, names in ((a, ("alice", "carl", "dora")), (b, ("bea",))):
        for name in names:
            site.cli("user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return a, b


def account_id(gts: GoToSocial, user: str, uri: str) -> str:
    """GoToSocial's id of the account at `uri`, looked up (and fetched) as its search does."""
    with gts.api(user) as api:
        found = api.get("/api/v2/search", params={"q": uri, "resolve": "true", "type": "accounts"})
        found.raise_for_status()
        [account] = found.json()["accounts"]
        return account["id"]


def following(gts: GoToSocial, user: str, target: str) -> bool:
    with gts.api(user) as api:
        [relation] = api.get("/api/v1/accounts/relationships", params={"id[]": target}).json()
        return relation["following"]


def follows_here(site, name: str) -> set[tuple[str, str, str]]:
    rows = site.query(
        "SELECT f.uri, s.state, e.username FROM follows s JOIN actors f ON f.id = s.follower_id "
        "JOIN actors e ON e.id = s.followee_id WHERE e.username = ? AND e.local = 1",
        name,
    )
    return set(rows)


def home(gts: GoToSocial, user: str) -> list[dict]:
    """The home timeline, each status once: GoToSocial 57cb4fe lists a status twice there
    (the same id) when it arrives just after a follow was accepted, though it holds it once
    and it was delivered once."""
    with gts.api(user) as api:
        response = api.get("/api/v1/timelines/home", params={"limit": 80})
        response.raise_for_status()
        return list({status["id"]: status for status in response.json()}.values())


def post_and_see(gts: GoToSocial, site, member: str, tmp_path, text: str, alt: str) -> None:
    """`member` posts a work from the CLI; it arrives in gina's home timeline."""
    picture = tmp_path / f"{member}.png"
    picture.write_bytes(artwork(320, 240, seed=len(text), fmt="PNG"))
    site.cli("post", member, "--image", str(picture), "--alt", alt, "--text", text)
    wait_for(lambda: any(text in s["content"] for s in home(gts, "gina")), timeout=90,
             what=f"{member}'s new work in gina's home timeline")  # fmt: skip


def follow_from_gts(gts: GoToSocial, site, member: str) -> tuple[str, str]:
    """gina follows `member` of `site`; returns (GoToSocial's id of them, gina's actor)."""
    target = account_id(gts, "gina", f"{site.base_url}/users/{member}")
    with gts.api("gina") as api:
        api.post(f"/api/v1/accounts/{target}/follow").raise_for_status()
    gina = f"{gts.base_url}/users/gina"
    wait_for(lambda: (gina, "accepted", member) in follows_here(site, member),
             timeout=60, what=f"gina's follow of {member} accepted")  # fmt: skip
    wait_for(lambda: following(gts, "gina", target), timeout=60,
             what=f"GoToSocial to see gina following {member}")  # fmt: skip
    return target, gina


def test_a_gotosocial_follower_moves_with_the_artist(gts, two, tmp_path):
    a, b = two
    alice_there, gina = follow_from_gts(gts, a, "alice")
    b.cli("user", "alias", "bea", f"alice@{a.domain}")
    a.cli("user", "move", "alice", f"bea@{b.domain}")

    # GoToSocial believes the Move: it follows bea on B instead of alice on A.
    wait_for(lambda: (gina, "accepted", "bea") in follows_here(b, "bea"), timeout=90,
             what="gina to follow bea on B")  # fmt: skip
    wait_for(lambda: not follows_here(a, "alice"), timeout=60, what="A to lose gina's follow")
    bea_there = account_id(gts, "gina", f"{b.base_url}/users/bea")
    wait_for(lambda: following(gts, "gina", bea_there), timeout=60,
             what="GoToSocial to have B's Accept of gina's follow")  # fmt: skip
    assert not following(gts, "gina", alice_there)

    post_and_see(gts, b, "bea", tmp_path, "first work since the move", "a kite over a field")
    [status] = [s for s in home(gts, "gina") if "first work since the move" in s["content"]]
    # B sent the Create once, to gina's inbox; GoToSocial has it once.
    sent = b.query("SELECT d.inbox, d.attempts FROM deliveries d JOIN outbound_activities o "
                   "ON o.id = d.activity_id WHERE o.kind = 'Create'")  # fmt: skip
    assert sent == [(f"{gts.base_url}/users/gina/inbox", 1)]
    assert status["account"]["id"] == bea_there
    assert [m["description"] for m in status["media_attachments"]] == ["a kite over a field"]


def test_a_back_catalogue_does_not_flood_a_gotosocial_home_timeline(gts, two, tmp_path):
    a, _ = two
    carl_there, _ = follow_from_gts(gts, a, "carl")
    folder = tmp_path / "catalogue"
    folder.mkdir()
    rows = ["file,title,description,alt,tags,date,album"]
    for n in range(BACK_CATALOGUE):
        (folder / f"work{n:03}.jpg").write_bytes(artwork(160, 120, seed=1000 + n))
        day = f"2015-{n % 12 + 1:02}-{n % 28 + 1:02}"
        rows.append(f"work{n:03}.jpg,Old work {n},,an old study number {n},,{day},")
    (folder / "works.csv").write_text("\n".join(rows) + "\n")
    out = a.cli("import", "folder", "carl", str(folder)).stdout
    assert f"{BACK_CATALOGUE} drafts from {BACK_CATALOGUE} posts" in out
    a.cli("import", "publish", "carl", "--all")
    assert a.query(
        "SELECT count(*) FROM posts WHERE imported = 1 AND substr(published, 1, 4) = '2015'"
    ) == [(BACK_CATALOGUE,)]

    post_and_see(gts, a, "carl", tmp_path, "a new work after the import", "a new harbour study")
    from_carl = [s for s in home(gts, "gina") if s["account"]["id"] == carl_there]
    assert [s["content"] for s in from_carl if "Old work" in s["content"]] == []
    assert len(from_carl) == 1

    # An old work, looked up by its address, is there with its original date.
    [(old_uri, old_date)] = a.query(
        "SELECT uri, substr(published, 1, 10) FROM posts WHERE title = 'Old work 5'"
    )
    with gts.api("gina") as api:
        found = api.get("/api/v2/search",
                        params={"q": old_uri, "resolve": "true", "type": "statuses"})  # fmt: skip
        [status] = found.json()["statuses"]
    assert status["created_at"][:10] == old_date and "Old work 5" in status["content"]
    # GoToSocial then puts the looked-up work in gina's home timeline too (she follows carl),
    # but by its date: below the new work, not on top of her feed.
    after = [s["id"] for s in home(gts, "gina") if s["account"]["id"] == carl_there]
    assert after == [from_carl[0]["id"], status["id"]]


def test_a_deleted_account_leaves_a_gotosocial_followers_timeline(gts, two, tmp_path):
    a, _ = two
    dora_there, _ = follow_from_gts(gts, a, "dora")
    post_and_see(gts, a, "dora", tmp_path, "a work before leaving", "a lighthouse")
    a.cli("user", "delete", "dora", "--yes")
    wait_for(lambda: not any("a work before leaving" in s["content"] for s in home(gts, "gina")),
             timeout=90, what="dora's work to leave gina's home timeline")  # fmt: skip
    # GoToSocial keeps the account as suspended, with nothing in it, and gina's follow gone.
    with gts.api("gina") as api:
        account = api.get(f"/api/v1/accounts/{dora_there}").json()
    assert account["suspended"] is True and account["statuses_count"] == 0
    assert not following(gts, "gina", dora_there)
    [(state, status)] = a.query(
        "SELECT d.state, d.last_status FROM deliveries d JOIN outbound_activities o "
        "ON o.id = d.activity_id WHERE o.kind = 'Delete' AND d.inbox LIKE ?",
        f"{gts.base_url}/%",
    )
    assert (state, status) == ("done", 202)
