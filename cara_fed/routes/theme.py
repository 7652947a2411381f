"""/theme.css: the instance's accent colour for both colour schemes and the justified grid's
aspect-ratio classes (cara_fed/theme.py). Pages link it with a version taken from its text,
so browsers may keep it for a year and still see a new accent at once."""

from __future__ import annotations

import hashlib
from functools import cache

from quart import Blueprint, Response, current_app

from cara_fed.theme import theme_css

bp = Blueprint("theme", __name__)


@cache
def _stylesheet(accent: str) -> tuple[str, str]:
    text = theme_css(accent)
    return text, hashlib.sha256(text.encode()).hexdigest()[:12]


def theme_version() -> str:
    return _stylesheet(current_app.config["CARA_CONFIG"].instance.accent_color)[1]


@bp.get("/theme.css")
async def stylesheet() -> Response:
    text, version = _stylesheet(current_app.config["CARA_CONFIG"].instance.accent_color)
    response = Response(text, content_type="text/css; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["ETag"] = f'"{version}"'
    return response
