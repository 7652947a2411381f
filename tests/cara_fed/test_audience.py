"""The one audience check (cara_fed/store/audience.py) on a real database, and the home feed
that uses it: a boosted post is shown only to who may see it, and only when it may be
boosted at all."""

from __future__ import annotations

from datetime import UTC, datetime

from cara_fed.services.feed import FeedFilters, home_feed
from cara_fed.store.audience import may_boost, may_see
from cara_fed.store.models import Actor, Follow, Interaction, Post

NOW = datetime(2026, 12, 6, tzinfo=UTC)


async def actor(name: str, host: str = "art.example", local: bool = False) -> Actor:
    uri = f"https://{host}/users/{name}"
    return await Actor.create(
        uri=uri, local=local, username=name, domain=host, inbox=f"{uri}/inbox",
        key_id=f"{uri}#key", public_key_pem="x",
    )  # fmt: skip


async def post(author: Actor, n: int, visibility: str, **values) -> Post:
    return await Post.create(
        id=n, uri=f"{author.uri}/posts/{n}", author=author, visibility=visibility,
        published=NOW, local=author.local, **values,
    )  # fmt: skip


async def follows(follower: Actor, followee: Actor, state: str = "accepted") -> None:
    await Follow.create(
        follower=follower,
        followee=followee,
        state=state,
        activity_uri=f"{follower.uri}#f-{followee.username}",
    )


async def test_each_audience_and_each_kind_of_viewer(database):
    ada = await actor("ada", local=True)
    fan = await actor("fan", "elsewhere.example")  # an accepted follower, remote
    asking = await actor("asking", "elsewhere.example")  # a follow request only
    named = await actor("named", "elsewhere.example")
    stranger = await actor("stranger", local=True)
    await follows(fan, ada)
    await follows(asking, ada, state="pending")
    public = await post(ada, 1, "public")
    unlisted = await post(ada, 2, "unlisted")
    followers = await post(ada, 3, "followers", recipients=[named.uri])
    direct = await post(ada, 4, "direct", recipients=[named.uri])
    held = await post(ada, 5, "public", held=True)
    gone = await post(ada, 6, "public", deleted_at=NOW)
    for p in (public, unlisted):
        assert await may_see(None, p) and await may_see(stranger, p) and may_boost(p)
    for viewer, sees in ((fan, True), (fan.uri, True), (named.uri, True), (asking.uri, False),
                         (stranger, False), (None, False), (ada, True)):  # fmt: skip
        assert await may_see(viewer, followers) is sees, viewer
    for viewer, sees in ((named.uri, True), (fan.uri, False), (stranger, False), (ada, True)):
        assert await may_see(viewer, direct) is sees, viewer
    assert not may_boost(followers) and not may_boost(direct)
    assert await may_see(ada, held) and not await may_see(fan, held)
    assert not await may_see(ada, gone) and not await may_see(None, gone)


async def test_the_feed_shows_a_boost_only_to_who_may_see_the_post(database):
    mia = await actor("mia", local=True)
    booster = await actor("booster", "elsewhere.example")
    zed = await actor("zed", "third.example")  # mia does not follow zed
    await follows(mia, booster)
    hidden = await post(zed, 10, "followers")
    shown = await post(zed, 11, "public")
    direct_to_mia = await post(zed, 12, "direct", recipients=[mia.uri])
    for n, target in enumerate((hidden, shown, direct_to_mia)):
        await Interaction.create(
            kind="Announce", actor=booster, object_uri=target.uri, activity_uri=f"#b{n}",
            created_at=NOW,
        )  # fmt: skip
    entries = await home_feed(mia, FeedFilters())
    # Only the public post: followers-only to zed's followers, and a direct post cannot be
    # boosted; neither is shown, not even as a boost of a post we do not have.
    assert [e.boosted_uri for e in entries] == [shown.uri]
    await follows(mia, zed)  # a follower now: still not as a boost (not boostable)
    entries = await home_feed(mia, FeedFilters())
    assert hidden.uri not in [e.boosted_uri for e in entries]
    assert hidden.uri in [e.post.uri for e in entries if e.booster is None]  # her own feed


async def test_neither_side_of_a_block_sees_the_others_posts(database):
    """An account's block either way, or a member's block of the viewer's server, hides even
    public posts, whether the viewer is asked about by row, by URI, or with the ids given;
    anonymous readers and everyone else still see them."""
    from cara_fed.store.blocks import blocking_ids
    from cara_fed.store.safety_models import AccountBlock, MemberDomainBlock

    ada = await actor("ada", local=True)
    troll = await actor("troll", "elsewhere.example")
    hater = await actor("hater", "elsewhere.example")  # blocked ada, from their server
    spam = await actor("spam", "spam.example")
    bystander = await actor("bystander", "third.example")
    await AccountBlock.create(blocker=ada, target=troll, activity_uri="#block-troll")
    await AccountBlock.create(blocker=hater, target=ada, activity_uri="#block-ada")
    await MemberDomainBlock.create(member=ada, domain="spam.example")
    work = await post(ada, 20, "public")
    theirs = await post(hater, 21, "public")
    for viewer in (troll, troll.uri, hater, hater.uri, spam, spam.uri):
        assert not await may_see(viewer, work), viewer
    assert not await may_see(ada, theirs)  # the one who is blocked does not see the blocker's
    assert await may_see(bystander, work) and await may_see(None, work)
    blocked = await blocking_ids(ada)
    assert blocked == {troll.pk, hater.pk}
    assert not await may_see(ada, theirs, blocked=blocked)
    assert await may_see(bystander, work, blocked=await blocking_ids(bystander))


async def test_the_query_form_selects_what_may_see_allows_and_lists_show(database):
    """audience_filter, for pages that list posts, against may_see on the same posts and
    viewers: the same answer, except what lists never show (direct posts, a post seen only
    by the people it names, the author's held or cloaking posts)."""
    from cara_fed.store.audience import audience_filter, standing_of
    from cara_fed.store.safety_models import AccountBlock

    ada = await actor("ada", local=True)
    fan = await actor("fan", local=True)
    named = await actor("named", local=True)
    stranger = await actor("stranger", local=True)
    troll = await actor("troll", local=True)
    other = await actor("other", "elsewhere.example")
    await follows(fan, ada)
    await follows(stranger, other)
    await AccountBlock.create(blocker=ada, target=troll, activity_uri="#b")
    posts = [
        await post(ada, 30, "public"),
        await post(ada, 31, "unlisted"),
        await post(ada, 32, "followers", recipients=[named.uri]),
        await post(ada, 33, "direct", recipients=[named.uri]),
        await post(ada, 34, "public", held=True),
        await post(ada, 35, "public", cloak_pending=True),
        await post(ada, 36, "public", deleted_at=NOW),
        await post(other, 37, "followers"),
        await post(other, 38, "public"),
    ]
    listed_only_by_name = {32}  # named sees it on its page, not in lists
    for viewer in (None, ada, fan, named, stranger, troll):
        standing = await standing_of(viewer)
        selected = {p.pk for p in await Post.filter(audience_filter(standing))}
        allowed = {p.pk for p in posts if await may_see(viewer, p)}
        expected = {
            pk
            for pk in allowed
            if pk not in (33, 34, 35) and not (viewer is named and pk in listed_only_by_name)
        }
        assert selected == expected, viewer and viewer.username
