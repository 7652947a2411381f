"""Screening throughput: images per second and latency of the whole pipeline on 1024×1024
images, with and without the classifier, and the process RSS with the model loaded.

Run: .venv/bin/python bench/screen.py [--images N] [--threads T] [--list-entries N]
Prints one JSON line. Targets (issue 3): metadata and text signals under 10 ms per image, the
classifier under 200 ms on 2 cores. `pdq` is the perceptual hash with its eight dihedral
variants (issue 14); `hash_match` compares them with a hash list of --list-entries entries.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cara_fed.config import ScreeningSection
from inbox.screening.screener import Screener
from inbox.screening.types import MediaContext


def images(count: int) -> list[bytes]:
    """1024×1024 JPEGs with real-photo structure (scikit-image's samples, resized), or noise
    with gradients when scikit-image is not installed."""
    try:
        import skimage.data as data

        sources = [getattr(data, n)() for n in ("astronaut", "coffee", "chelsea", "rocket")]
    except ImportError:
        rng = np.random.default_rng(0)
        sources = [rng.integers(0, 255, (512, 512, 3), dtype=np.uint8) for _ in range(4)]
    out = []
    for i in range(count):
        image = Image.fromarray(sources[i % len(sources)]).convert("RGB").resize((1024, 1024))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        out.append(buffer.getvalue())
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(screener: Screener, batch: list[bytes]) -> dict:
    context = MediaContext(text="a study of light, #oilpainting", alt_text="a cup of coffee")
    screener.screen(batch[0], context)  # warm-up (loads the model when there is one)
    latencies = []
    start = time.perf_counter()
    for data in batch:
        t0 = time.perf_counter()
        screener.screen(data, context)
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "images_per_s": round(len(batch) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def per_signal(batch: list[bytes], list_entries: int) -> dict:
    """Median milliseconds of each signal alone on the same images."""
    from cloak.imaging import open_image
    from inbox.screening import c2pa_manifest, declaration, generator, iptc, pdq, watermark
    from inbox.screening.hash_match import HashIndex, ListedHash
    from inbox.screening.metadata import read_metadata

    rng = np.random.default_rng(14)
    listed = [rng.bytes(32).hex() for _ in range(list_entries)]
    index = HashIndex(listed, [ListedHash("l", str(i), "refuse") for i in range(list_entries)])

    context = MediaContext(text="a study of light, #oilpainting", alt_text="a cup of coffee")
    timings: dict[str, list[float]] = {}

    def timed(name: str, call) -> object:
        t0 = time.perf_counter()
        result = call()
        timings.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        return result

    for data in batch:
        image = timed("decode", lambda d=data: open_image(d, 10**8))
        metadata = timed("metadata", lambda i=image: read_metadata(i))
        timed("c2pa", lambda d=data: c2pa_manifest.check(d))
        timed("iptc", lambda m=metadata: iptc.check(m))
        timed("generator", lambda i=image, m=metadata: generator.check(i, m))
        timed("declaration", lambda: declaration.check(context, "refuse"))
        timed("watermark", lambda i=image: watermark.check(i))
        _, variants = timed("pdq", lambda i=image: pdq.compute_with_variants(i))
        timed("hash_match", lambda v=variants: index.match(v))
    return {name: round(statistics.median(values), 2) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--list-entries", type=int, default=100_000)
    parser.add_argument("--models-dir", default=str(Path(sys.prefix) / "share/cara-fed/models"))
    args = parser.parse_args()
    batch = images(args.images)
    base = ScreeningSection(classifier_threads=args.threads)
    signals = per_signal(batch, args.list_entries)
    rss_before = rss_mb()
    without = run(
        Screener(
            replace(base, classifier="off"), models_dir=Path(args.models_dir), max_pixels=10**8
        ),
        batch,
    )
    with_model = run(Screener(base, models_dir=Path(args.models_dir), max_pixels=10**8), batch)
    print(
        json.dumps(
            {
                "bench": "screen",
                "image": "1024x1024 JPEG q90",
                "images": len(batch),
                "threads": args.threads,
                "hash_list_entries": args.list_entries,
                "median_ms_per_signal": signals,
                "without_classifier": without,
                "with_classifier": with_model,
                "max_rss_mb_before_model": round(rss_before, 1),
                "max_rss_mb_with_model": round(rss_mb(), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
