"""The cost a remote image's thumbnail adds to receiving it: CPU milliseconds of
`thumbnail_of_received` (decode, orientation, LANCZOS to 640 px, encode) per image, on
2000×1500 photos, next to the decode the fetch already does (`inspect_image`) for scale.

Run: .venv/bin/python bench/thumbnail.py [--images N] [--results]
Prints one JSON line; `--results` writes bench/RESULTS.md (section "thumbnail"). CPU time is
the process's (all threads), so it is what the thumbnail takes from the other work on the
machine, whatever the wall clock says.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import write_report
from cloak.imaging import inspect_image
from cloak.rendition import thumbnail_of_received

SIZE = (2000, 1500)
MAX_PIXELS = 60_000_000  # [media] max_pixels by default
QUALITY = 92  # [media] jpeg_quality by default


def photos(count: int, fmt: str) -> list[bytes]:
    """2000×1500 files with real-photo structure (scikit-image's samples, scaled up), or
    gradients with noise when scikit-image is not installed."""
    try:
        import skimage.data as data

        sources = [getattr(data, n)() for n in ("astronaut", "coffee", "chelsea", "rocket")]
    except ImportError:
        rng = np.random.default_rng(0)
        sources = [rng.integers(0, 255, (480, 640, 3), dtype=np.uint8) for _ in range(4)]
    out = []
    for i in range(count):
        image = Image.fromarray(sources[i % len(sources)]).convert("RGB").resize(SIZE)
        buffer = io.BytesIO()
        image.save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        out.append(buffer.getvalue())
    return out


def timed(call: Callable[[bytes], object], batch: list[bytes]) -> dict[str, float]:
    """Median and worst CPU ms, and median wall ms, of `call` on each file (after a warm-up)."""
    call(batch[0])
    cpu, wall = [], []
    for data in batch:
        c0, w0 = time.process_time(), time.perf_counter()
        call(data)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {
        "cpu_ms_p50": round(statistics.median(cpu), 1),
        "cpu_ms_max": round(max(cpu), 1),
        "wall_ms_p50": round(statistics.median(wall), 1),
    }


def thumbnail(data: bytes) -> object:
    return thumbnail_of_received(data, max_pixels=MAX_PIXELS, quality=QUALITY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"bench": "thumbnail", "size": f"{SIZE[0]}x{SIZE[1]}"}
    for fmt, label in (("JPEG", "jpeg_q90"), ("PNG", "png")):
        batch = photos(args.images, fmt)
        sample = thumbnail_of_received(batch[0], max_pixels=MAX_PIXELS, quality=QUALITY)
        report[label] = {
            "images": len(batch),
            "file_kb": round(statistics.mean(len(d) for d in batch) / 1024, 1),
            "thumb_kb": round(len(sample.data) / 1024, 1),
            "thumb_size": f"{sample.width}x{sample.height}",
            "thumbnail": timed(thumbnail, batch),
            "fetch_check_already_paid": timed(lambda d: inspect_image(d, MAX_PIXELS), batch),
        }
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "thumbnail",
            "Remote image thumbnails (bench/thumbnail.py)",
            "CPU per remote image of making its 640 px thumbnail (`thumbnail_of_received`, run "
            "off the event loop by `RemoteMedia.store`), on 2000×1500 photos; "
            "`fetch_check_already_paid` is the decode every fetched image already costs.",
            report,
        )


if __name__ == "__main__":
    main()
