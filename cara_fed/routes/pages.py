"""The public pages: the instance's home, an artist's portfolio, a work, an album, a tag; and
"follow from your server", which sends a visitor to their own server's follow page."""

from __future__ import annotations

from urllib.parse import quote

from quart import Blueprint, Response, redirect, request

from activitypub.errors import InvalidObject
from activitypub.webfinger import parse_account, subscribe_template_from_jrd
from cara_fed.convert.to_as import album_document
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import as_response, error, wants_activitypub
from cara_fed.routes.signed import signed_fetch_gate
from cara_fed.routes.web import cross_site, current_viewer, page, page_number, refused
from cara_fed.services.accounts import local_people
from cara_fed.services.following import follow_state, webfinger_document
from cara_fed.services.portfolio import PER_PAGE, album_works, portfolio, tiles, work_page
from cara_fed.store.audience import Standing, audience_filter, standing_of
from cara_fed.store.models import Actor, Album, Post
from federation.resolver import ResolveError

bp = Blueprint("pages", __name__)
RECENT = 24


async def person_named(username: str, *, suspended: bool = False) -> Actor | None:
    """The member whose pages these are; a suspended one only when asked (its actor
    document is still served, as Mastodon serves it, marked suspended)."""
    person = await Actor.get_or_none(
        local=True, username=username, actor_type="Person", approved=True, deleted_at=None
    )
    if person is not None and person.suspended_at is not None and not suspended:
        return None
    return person


async def no_person(username: str) -> Response:
    """Why there is no such member to show: 410 Gone for an account deleted here (as
    Mastodon answers, so that peers forget it), 403 for one suspended (Mastodon's answer for
    a temporary suspension), else 404."""
    row = await Actor.get_or_none(local=True, username=username, actor_type="Person")
    if row is not None and row.deleted_at is not None:
        return error(410, f"@{username} deleted their account")
    if row is not None and row.suspended_at is not None:
        return error(403, f"@{username} is suspended")
    return error(404, f"there is no account named {username} here")


async def viewer_standing() -> Standing:
    """Who is looking, for the audience check (cara_fed/store/audience.py): the signed-in
    member, or nobody."""
    return await standing_of(await current_viewer())


@bp.get("/")
async def home() -> Response:
    seen = audience_filter(await viewer_standing())
    recent = (
        await Post.filter(seen, local=True, visibility="public", in_reply_to=None)
        .order_by("-published")
        .limit(RECENT)
    )
    return await page(
        "home.html",
        people=await local_people(),
        domain=current_instance().urls.domain,
        description=current_instance().config.instance.description,
        recent=await tiles(recent),
        urls=current_instance().urls,
    )


async def render_portfolio(person: Actor) -> Response:
    """A signed-in member sees where they stand with the artist (their Follow button);
    visitors get "follow from your server"."""
    viewer = await current_viewer()
    own = viewer is not None and viewer.pk == person.pk
    return await page(
        "profile.html",
        person=person,
        view=await portfolio(person, page_number(), await standing_of(viewer)),
        follow_state=await follow_state(viewer, person) if viewer else None,
        # The artist's own works still being cloaked or waiting for their check: only here
        # can they find them again (nobody else sees them anywhere).
        waiting=await Post.filter(
            author=person, local=True, deleted_at=None, cloak_pending=True
        ).order_by("-created_at")
        if own
        else [],
        urls=current_instance().urls,
    )


async def render_work(post: Post) -> Response:
    """The artist card beside the work has the same Follow as their portfolio."""
    viewer = await current_viewer()
    return await page(
        "post.html",
        post=post,
        author=post.author,
        view=await work_page(post, await standing_of(viewer)),
        follow_state=await follow_state(viewer, post.author) if viewer else None,
        urls=current_instance().urls,
    )


async def _album(username: str, album_id: int) -> tuple[Actor, Album] | None:
    person = await person_named(username)
    if person is None:
        return None
    album = await Album.get_or_none(id=album_id, owner=person)
    return (person, album) if album else None


async def _album_document(person: Actor, album: Album) -> Response:
    denied, _ = await signed_fetch_gate()
    if denied:
        return denied
    works = await album_works(album, Standing(None))  # the public document: as to anyone
    uris = [t.post.uri for t in works]
    return as_response(album_document(album, person, uris, current_instance().urls))


@bp.get("/users/<username>/albums/<int:album_id>")
async def album_collection(username: str, album_id: int) -> Response:
    found = await _album(username, album_id)
    if found is None:
        return error(404, "no such album")
    if not wants_activitypub():
        return redirect(current_instance().urls.album_page(username, album_id), 302)
    return await _album_document(*found)


@bp.get("/@<username>/albums/<int:album_id>")
async def album_page(username: str, album_id: int) -> Response:
    found = await _album(username, album_id)
    if found is None:
        return error(404, "no such album")
    person, album = found
    if wants_activitypub():
        return await _album_document(person, album)
    works = await album_works(album, await viewer_standing())
    return await page(
        "album.html",
        person=person,
        album=album,
        works=works,
        image_count=sum(t.count for t in works),
        urls=current_instance().urls,
    )


@bp.get("/tags/<tag>")
async def tag_page(tag: str) -> Response:
    if not 0 < len(tag) <= 100:
        return error(404, "no such tag")
    number = page_number()
    # Tags are stored as JSON on the post: read the ids and tags of the newest public works
    # (a few thousand small rows), match in Python, then load only the page's posts.
    wanted = tag.casefold()
    seen = audience_filter(await viewer_standing())
    rows = (
        await Post.filter(seen, local=True, visibility="public", in_reply_to=None)
        .order_by("-published")
        .limit(5000)
        .values_list("id", "tags")
    )
    matching = [pid for pid, tags in rows if any(t.casefold() == wanted for t in tags or ())]
    start = (number - 1) * PER_PAGE
    ids = matching[start : start + PER_PAGE]
    posts = sorted(await Post.filter(id__in=ids), key=lambda p: ids.index(p.pk))
    return await page(
        "tag.html",
        tag=tag,
        works=await tiles(posts),
        page=number,
        has_next=len(matching) > start + PER_PAGE,
        urls=current_instance().urls,
    )


@bp.post("/@<username>/remote-follow")
async def remote_follow(username: str) -> Response:
    """Look up the visitor's server by WebFinger and send them to its follow page, the way
    Mastodon's "follow from your server" does; explain when their server has none."""
    if cross_site():
        return await refused("a form sent from another site is not accepted")
    person = await person_named(username)
    if person is None:
        return error(404, f"there is no account named {username} here")
    account_text = ((await request.form).get("account") or "").strip()
    handle = f"@{person.username}@{current_instance().urls.domain}"
    try:
        account = parse_account(account_text)
    except InvalidObject:
        return await refused(
            f"{account_text!r} is not an account like you@your.server. You can also search "
            f"for {handle} on your own server.",
            status=400,
            title="Which account?",
        )
    if account.domain.lower() == current_instance().urls.domain.lower():
        return redirect(f"/authorize_interaction?uri={quote(person.uri, safe='')}", 303)
    template = await _subscribe_template(account)
    if template is None:
        return await refused(
            f"{account.domain} did not tell us where its follow page is. Search for {handle} "
            "on your server and follow from there.",
            status=400,
            title="Follow from your server",
        )
    return redirect(template.replace("{uri}", quote(person.uri, safe="")), 303)


async def _subscribe_template(account) -> str | None:
    try:
        return subscribe_template_from_jrd(await webfinger_document(current_instance(), account))
    except ResolveError:
        return None
