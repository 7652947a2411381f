"""Timelines: the member's home (who they follow, and their own works, which they see while
the cloak still runs), the public one (`local`, `remote`), and a tag's; the last two, as on
Mastodon, also without signing in. And the member's own lists of posts kept: favourites
and bookmarks, paged by when they were kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from quart import Blueprint, Response, request

from cara_fed.routes.api.auth import authorized, optional_viewer
from cara_fed.routes.api.pages import paged
from cara_fed.services import api_statuses
from cara_fed.store.models import Actor

bp = Blueprint("api_timelines", __name__)


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("true", "1")


async def _own(scope: str, read: Callable[[Actor, api_statuses.Page], Awaitable[list]]):
    """A page of one of the member's own streams, read with `read`."""
    token = await authorized(scope)
    if isinstance(token, Response):
        return token
    page = api_statuses.Page.of(request.args)
    return await paged(token.actor, await read(token.actor, page))


@bp.get("/api/v1/timelines/home")
async def home() -> Response:
    return await _own("read:statuses", api_statuses.home)


@bp.get("/api/v1/timelines/public")
async def public() -> Response:
    viewer = await optional_viewer("read:statuses")
    if isinstance(viewer, Response):
        return viewer
    page = api_statuses.Page.of(request.args)
    posts = await api_statuses.public(viewer, page, local=_flag("local"), remote=_flag("remote"))
    return await paged(viewer, posts)


@bp.get("/api/v1/timelines/tag/<tag>")
async def tag(tag: str) -> Response:
    viewer = await optional_viewer("read:statuses")
    if isinstance(viewer, Response):
        return viewer
    page = api_statuses.Page.of(request.args)
    return await paged(viewer, await api_statuses.tagged(viewer, page, tag))


@bp.get("/api/v1/favourites")
async def favourites() -> Response:
    return await _own("read:favourites", api_statuses.favourites)


@bp.get("/api/v1/bookmarks")
async def bookmarks() -> Response:
    return await _own("read:bookmarks", api_statuses.bookmarked)
