"""Real-looking artwork for the design's screenshots: scikit-image's sample photographs (in
its wheel, nothing downloaded) and two kinds of picture made here, a painterly landscape
(layered hills under a graded sky, with brush-stroke texture) and a flat poster (hard-edged
shapes in a small palette). Pages are judged on these, not on test patterns."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageFilter

from tests.web_client import PASSWORD, add_member, signed_in, submit

# (file name, kind, size or sample name, alt text)
PHOTOS = {
    "chelsea": "A tabby cat looking up, whiskers lit from the left",
    "coffee": "A cup of coffee on a saucer, seen from above, on a red table",
    "rocket": "A rocket on its launch pad against a pale sky",
    "astronaut": "An astronaut in a white suit beside a flag",
}


def photo(name: str) -> Image.Image:
    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def painterly(width: int, height: int, seed: int) -> Image.Image:
    """A landscape: a sky graded from warm to cool, four ridges of hills each darker and
    nearer, and short diagonal strokes of jittered colour over all of it."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None]
    top, low = rng.uniform(0.55, 0.95, 3), rng.uniform(0.25, 0.6, 3)
    sky = (top * (1 - y[..., None]) + low * y[..., None]) * np.ones((height, width, 3))
    x = np.linspace(0, 1, width)
    picture = sky
    hue = rng.uniform(0.2, 0.5, 3)
    for layer in range(4):
        base = 0.45 + 0.12 * layer
        ridge = base + 0.06 * np.sin(2 * np.pi * (x * rng.uniform(1, 3) + rng.random()))
        ridge += 0.03 * np.sin(2 * np.pi * (x * rng.uniform(5, 9) + rng.random()))
        below = np.linspace(0, 1, height)[:, None] > ridge[None, :]
        colour = hue * (1 - 0.2 * layer) + rng.normal(0, 0.03, 3)
        picture = np.where(below[..., None], colour, picture)
    image = Image.fromarray((np.clip(picture, 0, 1) * 255).astype(np.uint8))
    strokes = ImageDraw.Draw(image, "RGBA")
    for _ in range(width * height // 90):
        cx, cy = rng.integers(0, width), rng.integers(0, height)
        r, g, b = image.getpixel((int(cx), int(cy)))
        jitter = rng.integers(-22, 23, 3)
        length, tilt = rng.integers(6, 18), rng.uniform(-0.6, 0.6)
        end = (int(cx + length), int(cy + length * tilt))
        fill = (int(r + jitter[0]), int(g + jitter[1]), int(b + jitter[2]), 150)
        strokes.line([(int(cx), int(cy)), end], fill=fill, width=int(rng.integers(2, 5)))
    return image.filter(ImageFilter.SMOOTH_MORE)


def poster(width: int, height: int, seed: int) -> Image.Image:
    """Flat shapes in five colours: a sun, bands and blocks, as a screen print would be."""
    rng = np.random.default_rng(seed)
    palettes = [
        ["#f4e9d8", "#e0603a", "#2d4b73", "#f2b134", "#1c1c1c"],
        ["#eae7dc", "#d8c3a5", "#8e8d8a", "#e98074", "#e85a4f"],
        ["#fef6e4", "#f582ae", "#8bd3dd", "#001858", "#f3d2c1"],
    ]
    colours = palettes[seed % len(palettes)]
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    sun = min(width, height) * rng.uniform(0.18, 0.3)
    cx, cy = width * rng.uniform(0.25, 0.75), height * rng.uniform(0.2, 0.45)
    draw.ellipse([cx - sun, cy - sun, cx + sun, cy + sun], fill=colours[3])
    for band in range(5):
        top = height * (0.55 + band * 0.09)
        draw.rectangle([0, top, width, top + height * 0.05], fill=colours[1 + band % 2])
    for _ in range(4):
        w, h = width * rng.uniform(0.08, 0.2), height * rng.uniform(0.15, 0.4)
        x0, y0 = width * rng.uniform(0, 0.9), height * rng.uniform(0.35, 0.7)
        draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colours[4])
    return image


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def gallery(folder: Path) -> list[tuple[Path, str]]:
    """Write the pieces into `folder`: (path, alt text), photographs first."""
    pieces: list[tuple[str, Image.Image, str]] = [
        (f"{name}.jpg", photo(name), alt) for name, alt in PHOTOS.items()
    ]
    for n, (w, h) in enumerate([(1600, 1000), (900, 1300), (1400, 1400), (2000, 800)]):
        pieces.append(
            (
                f"landscape{n}.jpg",
                painterly(w, h, seed=n + 3),
                "Layered hills in dusk light under a graded sky, painted in short strokes",
            )
        )
    for n, (w, h) in enumerate([(1200, 1600), (1500, 1000), (1100, 1100)]):
        pieces.append(
            (
                f"poster{n}.jpg",
                poster(w, h, seed=n),
                "A flat screen-print: a low sun over coloured bands and dark blocks",
            )
        )
    written = []
    for name, image, alt in pieces:
        path = folder / name
        path.write_bytes(jpeg(image))
        written.append((path, alt))
    return written


# (title, pieces of the gallery, tags, extra `post` options)
WORKS = [
    ("Ridge at dusk", ["landscape0", "landscape3"], ["landscape", "painting"], []),
    ("Kitchen cat", ["chelsea"], ["cat", "photo"], []),
    ("Morning coffee", ["coffee"], ["photo"], []),
    ("Screen print I", ["poster0"], ["print"], []),
    ("Tall hills", ["landscape1"], ["landscape", "painting"], []),
    ("Launch day", ["rocket"], ["photo"], []),
    ("Square study", ["landscape2"], ["landscape", "painting"], []),
    ("Screen print II", ["poster1"], ["print"], []),
    ("Strobe", ["poster2"], ["print"], ["--summary", "flashing colours"]),
    ("Suit study", ["astronaut"], ["photo"], []),
]


def seed_studio(site, folder: Path) -> tuple[dict[str, int], int]:
    """Ines, an artist with a header, avatar, bio and links, ten works (one behind a content
    warning), an album of prints and two pinned works; Rosa follows her. Returns the works'
    ids by title and the album's id."""
    pieces = {path.stem: (path, alt) for path, alt in gallery(folder)}
    site.cli("user", "add", "ines", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    add_member(site, "rosa")
    ines = signed_in(site, "ines")
    header = pieces["landscape3"][0].read_bytes()
    avatar = pieces["chelsea"][0].read_bytes()
    submit(
        ines,
        "/settings/profile",
        "/settings/profile",
        data={
            "display_name": "Inès Morel",
            "bio": "Painter and printmaker in Lyon. Landscapes at dusk, screen prints, the cat.",
            "link_name1": "Shop",
            "link_url1": "https://shop.example/ines",
        },
        files={
            "avatar": ("a.jpg", avatar, "image/jpeg"),
            "header": ("h.jpg", header, "image/jpeg"),
        },
    )
    submit(ines, "/albums", "/albums", data={"title": "Prints", "description": "Screen prints"})
    album = site.query("SELECT id FROM albums")[0][0]
    for title, names, tags, extra in WORKS:
        args = ["post", "ines", "--title", title, "--text", f"{title}, from the studio."]
        for name in names:
            args += ["--image", str(pieces[name][0]), "--alt", pieces[name][1]]
        for tag in tags:
            args += ["--tag", tag]
        if "print" in tags:
            args += ["--album", str(album)]
        site.cli(*args, *extra)
    ids = dict(site.query("SELECT title, id FROM posts"))
    for title in ("Ridge at dusk", "Screen print I"):
        submit(ines, f"/works/{ids[title]}/edit", f"/works/{ids[title]}/pin", data={"pinned": "1"})
    rosa = signed_in(site, "rosa")
    submit(rosa, "/home", "/follow", data={"account": "ines"})
    return ids, album
