"""What apps ask before anyone signs in: the instance (v1 and v2, with and without the
trailing slash Mastodon.py adds), its custom emoji (none), and the images the documents
point at. No token needed: apps that get a 401 or 404 here give up on the server."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.convert import to_api, to_api_statuses
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import placeholders
from cara_fed.services.usage import known_domains, usage_counts

bp = Blueprint("api_instance", __name__)


async def _instance_document(build) -> Response:
    instance = current_instance()
    usage = await usage_counts(instance.clock.now())
    return json_response(build(instance.config, instance.urls, usage, await known_domains()))


@bp.get("/api/v1/instance")
@bp.get("/api/v1/instance/")
async def instance_v1() -> Response:
    return await _instance_document(to_api.instance_v1)


@bp.get("/api/v2/instance")
@bp.get("/api/v2/instance/")
async def instance_v2() -> Response:
    return await _instance_document(to_api.instance_v2)


@bp.get("/api/v1/instance/rules")
async def instance_rules() -> Response:
    return json_response(to_api.rules(current_instance().config))


@bp.get("/api/v1/custom_emojis")
async def custom_emojis() -> Response:
    return json_response([])


def _png(data: bytes) -> Response:
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get(to_api.DEFAULT_AVATAR)
async def default_avatar() -> Response:
    return _png(placeholders.avatar())


@bp.get(to_api.DEFAULT_HEADER)
async def default_header() -> Response:
    return _png(placeholders.header())


@bp.get(to_api.THUMBNAIL)
async def thumbnail() -> Response:
    return _png(placeholders.thumbnail(current_instance().config.instance.name))


@bp.get(to_api_statuses.PENDING_IMAGE)
async def cloaking() -> Response:
    return _png(placeholders.cloaking())
