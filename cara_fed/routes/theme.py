"""/style.css: the one stylesheet of the pages, static/cara.css followed by what depends on
the config (cara_fed/theme.py: the instance's accent for both colour schemes, the justified
grid's aspect-ratio classes). One request per page view, and pages link it with a version
taken from its text, so browsers keep it for a year and still see a new accent at once."""

from __future__ import annotations

import hashlib
from functools import cache

from quart import Blueprint, Response, current_app

from cara_fed.theme import STYLESHEET, theme_css

bp = Blueprint("theme", __name__)


@cache
def _stylesheet(accent: str) -> tuple[str, str]:
    theme = "\n/* The instance's theme (cara_fed/theme.py). */\n" + theme_css(accent)
    text = STYLESHEET.read_text() + theme
    return text, hashlib.sha256(text.encode()).hexdigest()[:12]


def _accent() -> str:
    return current_app.config["CARA_CONFIG"].instance.accent_color


def stylesheet_version() -> str:
    return _stylesheet(_accent())[1]


@bp.get("/style.css")
async def stylesheet() -> Response:
    text, version = _stylesheet(_accent())
    response = Response(text, content_type="text/css; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["ETag"] = f'"{version}"'
    return response
