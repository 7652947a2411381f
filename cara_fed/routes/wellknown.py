"""WebFinger, host-meta and NodeInfo."""

from __future__ import annotations

from quart import Blueprint, Response, request

from activitypub.nodeinfo import build_nodeinfo_links
from activitypub.vocab import JRD_JSON
from activitypub.webfinger import Account, build_host_meta, build_jrd
from cara_fed.convert.to_as import nodeinfo_document
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import error, json_response
from cara_fed.services.usage import usage_counts
from cara_fed.store.models import Actor

bp = Blueprint("wellknown", __name__)


@bp.get("/.well-known/webfinger")
async def webfinger() -> Response:
    instance = current_instance()
    urls = instance.urls
    resource = request.args.get("resource", "").strip()
    if not resource:
        return error(400, "the resource parameter is required, e.g. acct:artist@" + urls.domain)
    actor = None
    if resource.startswith("acct:") or ("@" in resource and "://" not in resource):
        handle = resource.removeprefix("acct:").removeprefix("@")
        username, _, domain = handle.partition("@")
        if domain.lower() != urls.domain.lower():
            return error(404, f"{handle} is not an account on {urls.domain}")
        actor = await Actor.get_or_none(local=True, username=username, approved=True)
        if actor is None and username in (urls.instance_actor_name, urls.domain):
            actor = await Actor.get_or_none(uri=urls.instance_actor)
    elif urls.is_local(resource):
        actor = await Actor.get_or_none(local=True, uri=resource, approved=True)
        if actor is None:
            actor = await Actor.get_or_none(local=True, url=resource, approved=True)
    if actor is None:
        return error(404, f"no account matches {resource}")
    if actor.deleted_at is not None:  # as Mastodon answers for an account deleted there
        return error(410, f"@{actor.username} deleted their account")
    account = Account(actor.username, urls.domain)
    profile = actor.url or urls.base
    jrd = build_jrd(account, actor.uri, profile, f"{urls.base}/authorize_interaction?uri={{uri}}")
    response = json_response(jrd, JRD_JSON)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/host-meta")
async def host_meta() -> Response:
    body = build_host_meta(current_instance().urls.base)
    return Response(body, content_type="application/xrd+xml; charset=utf-8")


@bp.get("/.well-known/nodeinfo")
async def nodeinfo_links() -> Response:
    return json_response(build_nodeinfo_links(current_instance().urls.base))


@bp.get("/nodeinfo/2.1")
async def nodeinfo() -> Response:
    instance = current_instance()
    usage = await usage_counts(instance.clock.now())
    doc = nodeinfo_document(instance.config, instance.urls, usage)
    return json_response(
        doc, 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
    )
