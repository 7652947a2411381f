"""The images the client API promises where there is none: Mastodon gives every account an
avatar and a header URL and every instance a thumbnail, and apps draw them without checking.
Made here with Pillow (nothing is fetched or shipped as a binary), once per process."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

PAPER = (245, 243, 239)
LINE = (215, 215, 220)
MUTED = (91, 91, 96)
ACCENT = (11, 92, 173)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@cache
def avatar() -> bytes:
    """A head and shoulders in the site's muted grey on paper, like Mastodon's missing.png."""
    size = 400
    image = Image.new("RGB", (size, size), PAPER)
    draw = ImageDraw.Draw(image)
    draw.ellipse((140, 80, 260, 200), fill=LINE)
    draw.ellipse((70, 230, 330, 490), fill=LINE)
    return _png(image)


@cache
def header() -> bytes:
    image = Image.new("RGB", (1500, 500), PAPER)
    ImageDraw.Draw(image).rectangle((0, 492, 1500, 500), fill=LINE)
    return _png(image)


@cache
def thumbnail(name: str) -> bytes:
    """The instance's name on paper, with the site's accent rule: what apps show beside it
    in server pickers."""
    image = Image.new("RGB", (1200, 630), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((96, 300, 296, 308), fill=ACCENT)
    draw.text((96, 200), name[:40], fill=(29, 29, 31), font=ImageFont.load_default(72))
    draw.text(
        (96, 340),
        "human-made art · no generated images · no AI training",
        fill=MUTED,
        font=ImageFont.load_default(32),
    )
    return _png(image)


@cache
def cloaking() -> bytes:
    """What an artist's app shows for an image not public yet (being cloaked, or waiting for
    its status): nothing of an image is public before its published rendition is."""
    image = Image.new("RGB", (800, 600), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 799, 599), outline=LINE, width=8)
    draw.text(
        (400, 300), "not published yet", fill=MUTED, font=ImageFont.load_default(48), anchor="mm"
    )
    return _png(image)
