"""Timelines: the member's home (who they follow, and their own works, which they see while
the cloak still runs), the public one (`local`, `remote`), and a tag's; the last two, as on
Mastodon, also without signing in."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.routes.api.auth import authorized, optional_viewer
from cara_fed.routes.api.pages import paged
from cara_fed.services import api_statuses

bp = Blueprint("api_timelines", __name__)


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("true", "1")


@bp.get("/api/v1/timelines/home")
async def home() -> Response:
    token = await authorized("read:statuses")
    if isinstance(token, Response):
        return token
    page = api_statuses.Page.of(request.args)
    return await paged(token.actor, await api_statuses.home(token.actor, page))


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
