"""How well PDQ recognises a listed image after what re-posting does to it, and how often it
mistakes one image for another (issue 14).

Robustness: the project's own images (bench/artworks.py's eight artworks at 768 px and the
four test photographs) are each listed, then changed (JPEG, resizing, crops, colour shifts,
mirrors, metadata stripped) and matched as screening matches them: the least distance over
the copy's eight dihedral variants, a match at 31 or less. Random changes (crop position,
colour amount) are drawn --draws times per image. Originals whose hash quality is below 50
are never listed (screening skips them), so they are reported and left out.

False matches: distinct real images, namely scikit-image's bundled photographs cut into
non-overlapping tiles (grids of 1x1 to 6x6) plus LFW's 200 small face and non-face crops;
every pair from different photographs, or from tiles of one photograph that do not overlap,
is compared as screening would. A match between two of them is a false match.

Run: .venv/bin/python bench/hash_robustness.py [--draws N] [--markdown]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.artworks import KINDS
from inbox.screening import pdq

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


def scaled(image: Image.Image, factor: float) -> Image.Image:
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def cropped(image: Image.Image, total: float, rng: np.random.Generator, one_side: bool):
    """`total` of the width and of the height removed, split at random between the two
    sides (or all from one side)."""
    w, h = image.size
    cut_w, cut_h = round(w * total), round(h * total)
    if one_side:
        left, top = (cut_w, 0) if rng.random() < 0.5 else (0, cut_h)
        right, bottom = (0, cut_h) if left else (cut_w, 0)
        # one edge of each axis, chosen at random
        if rng.random() < 0.5:
            left, right = right, left
        if rng.random() < 0.5:
            top, bottom = bottom, top
    else:
        left = int(rng.integers(0, cut_w + 1))
        top = int(rng.integers(0, cut_h + 1))
        right, bottom = cut_w - left, cut_h - top
    return image.crop((left, top, w - right, h - bottom))


def hue_shift(image: Image.Image, degrees: float) -> Image.Image:
    hsv = np.asarray(image.convert("RGB").convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(int) + round(degrees * 256 / 360)) % 256
    return Image.fromarray(hsv, "HSV").convert("RGB")


def stripped(image: Image.Image) -> Image.Image:
    """Saved as a PNG with a generator's text chunk, then re-saved with no metadata."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", "a portrait, Steps: 28, Sampler: Euler a")
    marked = io.BytesIO()
    image.save(marked, "PNG", pnginfo=info)
    clean = io.BytesIO()
    Image.open(io.BytesIO(marked.getvalue())).convert("RGB").save(clean, "PNG")
    return Image.open(io.BytesIO(clean.getvalue()))


Change = Callable[[Image.Image, np.random.Generator], Image.Image]
CHANGES: dict[str, tuple[Change, bool]] = {
    # name: (change, whether it draws at random)
    "metadata stripped": (lambda im, r: stripped(im), False),
    "JPEG q95": (lambda im, r: jpeg(im, 95), False),
    "JPEG q80": (lambda im, r: jpeg(im, 80), False),
    "JPEG q70": (lambda im, r: jpeg(im, 70), False),
    "JPEG q60": (lambda im, r: jpeg(im, 60), False),
    "resize 0.5x": (lambda im, r: scaled(im, 0.5), False),
    "resize 0.8x": (lambda im, r: scaled(im, 0.8), False),
    "resize 1.25x": (lambda im, r: scaled(im, 1.25), False),
    "resize 1.5x": (lambda im, r: scaled(im, 1.5), False),
    "q80 + 0.8x + stripped": (lambda im, r: jpeg(scaled(stripped(im), 0.8), 80), False),
    "q60 + 0.5x": (lambda im, r: jpeg(scaled(im, 0.5), 60), False),
    "crop 1% (random sides)": (lambda im, r: cropped(im, 0.01, r, False), True),
    "crop 2% (random sides)": (lambda im, r: cropped(im, 0.02, r, False), True),
    "crop 5% (random sides)": (lambda im, r: cropped(im, 0.05, r, False), True),
    "crop 10% (random sides)": (lambda im, r: cropped(im, 0.10, r, False), True),
    "crop 5% (one side)": (lambda im, r: cropped(im, 0.05, r, True), True),
    "crop 10% (one side)": (lambda im, r: cropped(im, 0.10, r, True), True),
    "brightness ±5%": (
        lambda im, r: ImageEnhance.Brightness(im).enhance(1 + r.choice([-0.05, 0.05])),
        True,
    ),
    "contrast ±10%": (
        lambda im, r: ImageEnhance.Contrast(im).enhance(1 + r.choice([-0.1, 0.1])),
        True,
    ),
    "saturation ±15%": (
        lambda im, r: ImageEnhance.Color(im).enhance(1 + r.choice([-0.15, 0.15])),
        True,
    ),
    "hue ±8°": (lambda im, r: hue_shift(im, float(r.choice([-8.0, 8.0]))), True),
    "greyscale": (lambda im, r: ImageOps.grayscale(im), False),
    "mirror": (lambda im, r: ImageOps.mirror(im), False),
    "upside down": (lambda im, r: ImageOps.flip(im), False),
    "rotate 90°": (lambda im, r: im.transpose(Image.Transpose.ROTATE_90), False),
}


def originals() -> dict[str, Image.Image]:
    from skimage import data

    found = {name: make(768).convert("RGB") for name, make in KINDS.items()}
    for name in PHOTOS:
        found[f"photo: {name}"] = Image.fromarray(getattr(data, name)()).convert("RGB")
    return found


def robustness(draws: int) -> dict:
    rng = np.random.default_rng(14)
    listed, low = {}, {}
    for name, image in originals().items():
        hashed = pdq.compute(image)
        (listed if hashed.trusted else low)[name] = (image, hashed)
    table = {}
    for change_name, (change, random) in CHANGES.items():
        distances = []
        for image, hashed in listed.values():
            for _ in range(draws if random else 1):
                variants = pdq.dihedral(change(image, rng))
                distances.append(min(pdq.distance(v, hashed.hex) for v in variants))
        matched = sum(d <= pdq.MATCH_DISTANCE for d in distances)
        table[change_name] = {
            "matched": matched,
            "trials": len(distances),
            "rate": round(matched / len(distances), 3),
            "median_distance": float(np.median(distances)),
            "max_distance": int(max(distances)),
        }
    return {
        "listed_originals": {n: h.quality for n, (_, h) in listed.items()},
        "unlisted_low_quality": {n: h.quality for n, (_, h) in low.items()},
        "changes": table,
    }


def distinct_images() -> list[tuple[str, tuple[int, int, int, int], Image.Image]]:
    """(source, box on the source, image) of every tile and every LFW crop."""
    from skimage import data

    names = [
        "astronaut", "brick", "camera", "cell", "chelsea", "clock", "coffee", "coins",
        "colorwheel", "grass", "gravel", "horse", "hubble_deep_field", "immunohistochemistry",
        "logo", "microaneurysms", "moon", "page", "retina", "rocket", "shepp_logan_phantom",
        "text", "checkerboard",
    ]  # fmt: skip
    sources = {n: Image.fromarray(np.asarray(getattr(data, n)())).convert("RGB") for n in names}
    sources["stereo_motorcycle"] = Image.fromarray(data.stereo_motorcycle()[0]).convert("RGB")
    out = []
    for name, image in sources.items():
        w, h = image.size
        for grid in range(1, 7):
            for row in range(grid):
                for col in range(grid):
                    box = (col * w // grid, row * h // grid, (col + 1) * w // grid,
                           (row + 1) * h // grid)  # fmt: skip
                    if box[2] - box[0] >= 48 and box[3] - box[1] >= 48:
                        out.append((name, box, image.crop(box)))
    faces = data.lfw_subset()
    for i, face in enumerate(faces):
        crop = Image.fromarray((face * 255).astype(np.uint8)).convert("RGB")
        out.append((f"lfw {i}", (0, 0, 25, 25), crop.resize((100, 100), Image.Resampling.BICUBIC)))
    return out


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def false_matches() -> dict:
    started = time.perf_counter()
    images = distinct_images()
    hashed = [(s, box, pdq.compute_with_variants(im)) for s, box, im in images]
    usable = [(s, box, h, v) for s, box, (h, v) in hashed if h.trusted]
    columns = np.ascontiguousarray(pdq.to_words([h.hex for _, _, h, _ in usable]).T)
    pairs = matches = 0
    closest = pdq.BITS
    examples = []
    for i, (source, box, _, variants) in enumerate(usable):
        nearest = pdq.nearest(pdq.to_words(variants), columns)
        for j in range(i + 1, len(usable)):
            other_source, other_box = usable[j][0], usable[j][1]
            if other_source == source and overlaps(box, other_box):
                continue
            pairs += 1
            distance = int(nearest[j])
            closest = min(closest, distance)
            if distance <= pdq.MATCH_DISTANCE:
                matches += 1
                if len(examples) < 5:
                    examples.append([source, box, other_source, other_box, distance])
    return {
        "images": len(images),
        "hash_quality_below_50": len(images) - len(usable),
        "compared": len(usable),
        "pairs": pairs,
        "false_matches": matches,
        "rate": matches / pairs if pairs else None,
        "closest_distance": closest,
        "examples": examples,
        "seconds": round(time.perf_counter() - started, 1),
    }


def markdown(report: dict) -> str:
    rows = ["| change | matched | rate | median distance | max distance |", "|---|---|---|---|---|"]
    for name, r in report["robustness"]["changes"].items():
        rows.append(
            f"| {name} | {r['matched']}/{r['trials']} | {r['rate']:.0%} | "
            f"{r['median_distance']:g} | {r['max_distance']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=5, help="draws of each random change")
    parser.add_argument("--markdown", action="store_true", help="also print the table")
    args = parser.parse_args()
    report = {
        "bench": "hash_robustness",
        "match_distance": pdq.MATCH_DISTANCE,
        "min_quality": pdq.MIN_QUALITY,
        "robustness": robustness(args.draws),
        "false_matches": false_matches(),
    }
    print(json.dumps(report))
    if args.markdown:
        print(markdown(report))


if __name__ == "__main__":
    main()
