"""The instance's theme: its accent colour made readable in both colour schemes, and the
aspect-ratio classes of the justified grid. Pure functions; routes/theme.py serves the result
after static/cara.css, as /style.css.

The accent comes from the config and may be any colour, so it is adjusted here rather than
trusted: darkened until it reads on the light theme's page and lightened until it reads on
the dark one (WCAG 2.2 AA asks 4.5:1 for text), and the text on accent buttons is whichever
of near-white or near-black contrasts more.

The justified grid (Flickr's layout: rows of equal height, each image keeping its aspect
ratio) needs each tile's aspect ratio in CSS. The page's CSP forbids style attributes, so the
ratio travels as a class (`ar135` for 1.35) and this stylesheet defines one rule per class:
rounded to 0.05, a tile's crop is at most about 2 % of its width.
"""

from __future__ import annotations

import re
from pathlib import Path

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#b4235a"

STYLESHEET = Path(__file__).resolve().parent / "static" / "cara.css"
_BACKGROUND = re.compile(r"--(bg|surface|surface-2):(#[0-9a-fA-F]{6})")


def page_backgrounds(css: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The page colours each scheme's accent must read against (--bg, --surface,
    --surface-2), read from the stylesheet that paints them, light then dark, so the two
    cannot drift apart."""
    light, _, dark = css.partition("@media (prefers-color-scheme:dark)")
    schemes = []
    for part in (light, dark):
        found = dict(_BACKGROUND.findall(part))
        if set(found) != {"bg", "surface", "surface-2"}:
            raise ValueError(f"cara.css lacks a background token: found {sorted(found)}")
        schemes.append(tuple(found[name] for name in ("surface", "bg", "surface-2")))
    return schemes[0], schemes[1]


LIGHT_BACKGROUNDS, DARK_BACKGROUNDS = page_backgrounds(STYLESHEET.read_text())
LIGHT_TEXT = "#fdfdfd"
DARK_TEXT = "#141416"
AA_TEXT = 4.5

# Aspect ratios of the justified grid: narrower or wider works are cropped to these bounds
# (a 1:4 scroll would otherwise make a tile a sliver).
RATIO_STEP = 0.05
RATIO_MIN = 0.5
RATIO_MAX = 3.0


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """Relative luminance, as WCAG defines it."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(colour: str, toward: str, amount: float) -> str:
    start, end = _channels(colour), _channels(toward)
    return _hex(tuple(s + (e - s) * amount for s, e in zip(start, end, strict=True)))


def readable_on(colour: str, backgrounds: tuple[str, ...], toward: str) -> str:
    """`colour`, moved toward `toward` (black or white) by the least step that gives text
    contrast on every one of `backgrounds`."""
    for step in range(0, 101, 2):
        candidate = _mix(colour, toward, step / 100)
        if all(contrast(candidate, bg) >= AA_TEXT for bg in backgrounds):
            return candidate
    return toward


def text_on(colour: str) -> str:
    """The text colour for a button filled with `colour`."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: contrast(text, colour))


def tile_ratio(width: int | None, height: int | None) -> float:
    """The aspect ratio a tile of this image is given, within the grid's bounds (square
    when the size is unknown)."""
    if not width or not height:
        return 1.0
    return min(RATIO_MAX, max(RATIO_MIN, width / height))


def ratio_class(width: int | None, height: int | None) -> str:
    """The justified grid's class for an image of this size (`ar100` when it is unknown)."""
    steps = round(tile_ratio(width, height) / RATIO_STEP)
    return f"ar{round(steps * RATIO_STEP * 100)}"


def ratio_rules() -> str:
    first, last = round(RATIO_MIN / RATIO_STEP), round(RATIO_MAX / RATIO_STEP)
    rules = []
    for steps in range(first, last + 1):
        hundredths = round(steps * RATIO_STEP * 100)
        rules.append(f".ar{hundredths}{{--ar:{hundredths / 100:g}}}")
    return "\n".join(rules)


def theme_css(accent: str) -> str:
    light = readable_on(accent, LIGHT_BACKGROUNDS, "#000000")
    dark = readable_on(accent, DARK_BACKGROUNDS, "#ffffff")
    return (
        f":root{{--accent:{light};--accent-fg:{text_on(light)}}}\n"
        "@media (prefers-color-scheme:dark){"
        f":root{{--accent:{dark};--accent-fg:{text_on(dark)}}}}}\n" + ratio_rules() + "\n"
    )
