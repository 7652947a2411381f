"""Actor documents (ActivityStreams or HTML by negotiation) and their collections."""

from __future__ import annotations

import inspect

from quart import Blueprint, Response, redirect, request

from activitypub.collection import build_collection, build_inline_collection, build_page
from cara_fed.convert.to_as import actor_document, note_document
from cara_fed.routes.credentials import CA_PATH, CA_REL, PEM_TYPE
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import as_response, wants_activitypub
from cara_fed.routes.pages import no_person, person_named, render_portfolio
from cara_fed.routes.signed import signed_fetch_gate
from cara_fed.services.rights import noai_tag
from cara_fed.services.served_documents import activity_now
from cara_fed.store import signing_keys
from cara_fed.store.albums import album_ids
from cara_fed.store.audience import Standing, audience_filter
from cara_fed.store.blocks import blocked_by
from cara_fed.store.media import media_by_post
from cara_fed.store.models import (
    Actor,
    Follow,
    OutboundActivity,
    Post,
)
from federation.integrity import public_multibase

bp = Blueprint("actors", __name__)
PAGE_SIZE = 20


async def _person(username: str) -> Actor | None:
    return await person_named(username)


async def _document(person: Actor) -> Response:
    return as_response(actor_document(person, current_instance().urls, await album_ids(person)))


@bp.get("/users/<username>")
async def actor(username: str) -> Response:
    person = await person_named(username, suspended=True)
    if person is None:
        return await no_person(username)
    if not wants_activitypub():
        return redirect(person.url or current_instance().urls.profile(username), 302)
    # Actor documents stay readable without a signature even with authorized fetch on:
    # peers need our public keys to verify us (Mastodon does the same).
    return await _document(person)


@bp.get("/actor")
async def instance_actor() -> Response:
    urls = current_instance().urls
    if not wants_activitypub():
        return redirect(urls.base + "/", 302)
    key = (urls.assertion_key, public_multibase(await signing_keys.ensure()))
    ca = (CA_REL, urls.base + CA_PATH, PEM_TYPE)
    return as_response(
        actor_document(
            await Actor.get(uri=urls.instance_actor), urls, assertion_keys=(key,), links=(ca,)
        )
    )


@bp.get("/@<username>")
async def profile(username: str) -> Response:
    person = await _person(username)
    if person is None:
        return await no_person(username)
    if wants_activitypub():
        return await _document(person)
    return await render_portfolio(person)


def _page_number() -> int | None:
    raw = request.args.get("page")
    if raw is None:
        return None
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def _paged(collection_id: str, queryset, render_item) -> Response:
    """Head with totalItems and `first`; `?page=N` gives OrderedCollectionPage N."""
    denied, _ = await signed_fetch_gate()
    if denied:
        return denied
    total = await queryset.count()
    page = _page_number()
    if page is None:
        return as_response(build_collection(collection_id, total, first=f"{collection_id}?page=1"))
    rows = await queryset.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    items = [render_item(r) for r in rows]
    items = [await i if inspect.isawaitable(i) else i for i in items]
    has_next = page * PAGE_SIZE < total
    return as_response(
        build_page(
            f"{collection_id}?page={page}",
            collection_id,
            items,
            next_page=f"{collection_id}?page={page + 1}" if has_next else None,
            prev_page=f"{collection_id}?page={page - 1}" if page > 1 else None,
        )
    )


@bp.get("/users/<username>/outbox")
async def outbox(username: str) -> Response:
    person = await _person(username)
    if person is None:
        return await no_person(username)
    denied, signer = await signed_fetch_gate()
    if denied:
        return denied
    if signer is not None and await blocked_by(person.pk, signer.owner):
        return await no_person(username)
    activities = (
        OutboundActivity.filter(actor=person, kind="Create", public=True, post__deleted_at=None)
        .order_by("-id")
        .prefetch_related("post__author")
    )
    instance = current_instance()
    return await _paged(
        instance.urls.outbox(username), activities, lambda a: activity_now(instance, a)
    )


async def _follow_collection(username: str, *, followers: bool) -> Response:
    """Accepted followers (actor URIs) of `username`, or the accounts it follows."""
    person = await _person(username)
    if person is None:
        return await no_person(username)
    mine, theirs = ("followee", "follower") if followers else ("follower", "followee")
    rows = (
        Follow.filter(state="accepted", **{mine: person}).order_by("-id").prefetch_related(theirs)
    )
    urls = current_instance().urls
    collection = urls.followers(username) if followers else urls.following(username)
    return await _paged(collection, rows, lambda f: getattr(f, theirs).uri)


@bp.get("/users/<username>/followers")
async def followers(username: str) -> Response:
    return await _follow_collection(username, followers=True)


@bp.get("/users/<username>/following")
async def following(username: str) -> Response:
    return await _follow_collection(username, followers=False)


@bp.get("/users/<username>/collections/featured")
async def featured(username: str) -> Response:
    person = await _person(username)
    if person is None:
        return await no_person(username)
    denied, signer = await signed_fetch_gate()
    if denied:
        return denied
    if signer is not None and await blocked_by(person.pk, signer.owner):
        return await no_person(username)
    # Pinned works, carried whole as Mastodon serves them: it shows them as pinned posts;
    # public and unlisted ones, as to anyone (audience_filter with no viewer).
    instance = current_instance()
    pinned = (
        await Post.filter(
            audience_filter(Standing(None)), author=person, pinned_at__not_isnull=True
        )
        .order_by("-pinned_at")
        .prefetch_related("author")
    )
    media = await media_by_post([p.pk for p in pinned], accepted_only=False)
    notes = [
        note_document(
            p,
            person,
            media.get(p.pk, []),
            instance.urls,
            with_context=False,
            x_robots_tag=noai_tag(instance),
        )
        for p in pinned
    ]
    return as_response(build_inline_collection(instance.urls.featured(username), notes))
