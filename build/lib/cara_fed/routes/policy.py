"""The no-AI-training policy for crawlers: robots.txt, ai.txt, TDMRep; the headers on every
response and the refusal of known AI crawlers are hooks installed on the app."""

from __future__ import annotations

from quart import Blueprint, Quart, Response, current_app, request

from cloak import policy

bp = Blueprint("policy", __name__)


def _settings():
    return current_app.config["CARA_CONFIG"].policy


@bp.get("/robots.txt")
async def robots() -> Response:
    return Response(policy.robots_txt(), content_type="text/plain; charset=utf-8")


@bp.get("/ai.txt")
async def ai_txt() -> Response:
    return Response(policy.ai_txt(), content_type="text/plain; charset=utf-8")


@bp.get("/.well-known/tdmrep.json")
async def tdmrep() -> Response:
    return Response(policy.tdmrep_json(_settings().tdm_policy_url), content_type="application/json")


def install(app: Quart) -> None:
    @app.before_request
    async def refuse_ai_crawlers() -> Response | None:
        settings = _settings()
        if not settings.block_ai_crawlers or request.path in policy.POLICY_PATHS:
            return None
        if policy.is_ai_crawler(request.headers.get("User-Agent", "")):
            return Response(
                "This instance does not allow its work to be used for AI training.\n",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        return None

    @app.after_request
    async def noai_headers(response: Response) -> Response:
        """On every response, images above all: img2dataset reads the header of the image
        response itself, not of the page that links it."""
        settings = _settings()
        if settings.advertise_noai:
            for name, value in policy.response_headers(settings.tdm_policy_url).items():
                response.headers[name] = value
        return response
