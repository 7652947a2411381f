"""Storage per work: what one published work costs on disk. Posts each of the eight kinds of
artwork (bench/artworks.py) at SIZE×SIZE as an artist would upload it (PNG, as drawing tools
export) to a fresh cara-fed from this checkout, one work per image, and measures the media
written (published rendition, thumbnail, private original) and the database's growth.
The cloak is off: it changes pixels, not sizes. Prints one JSON line; `--results` writes
bench/RESULTS.md (section "storage").

Run: python bench/storage.py [--size 2048] [--results]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.artworks import KINDS
from bench.results import write_report
from bench.server import cara_fed_server


def folder_bytes(root: Path, folder: str) -> int:
    path = root / folder
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def database_bytes(data: Path) -> int:
    return sum(f.stat().st_size for f in data.glob("cara-fed.sqlite3*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    with cara_fed_server({"screening": {"classifier": "off"}}) as server:
        server.run("user", "add", "artist")
        data, media = server.root / "data", server.root / "data" / "media"
        database_before = database_bytes(data)
        uploads = 0
        for kind, paint in KINDS.items():
            path = server.root / f"{kind.replace(' ', '-')}.png"
            image = paint(args.size)
            image = image if isinstance(image, Image.Image) else Image.fromarray(image)
            image.convert("RGB").save(path)
            uploads += path.stat().st_size
            server.run("post", "artist", "--image", str(path), "--alt", kind, "--no-cloak")
        works = len(KINDS)
        report = {
            "bench": "storage",
            "size": f"{args.size}x{args.size}",
            "works": works,
            "upload_kb_per_work": round(uploads / works / 1024, 1),
            "published_kb_per_work": round(folder_bytes(media, "local") / works / 1024, 1),
            "private_original_kb_per_work": round(folder_bytes(media, "private") / works / 1024, 1),
            "database_kb_per_work": round(
                (database_bytes(data) - database_before) / works / 1024, 1
            ),
        }
        report["total_kb_per_work"] = round(
            report["published_kb_per_work"]
            + report["private_original_kb_per_work"]
            + report["database_kb_per_work"],
            1,
        )
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "storage",
            "Storage per work (bench/storage.py)",
            f"The eight artworks of bench/artworks.py at {args.size}×{args.size}, uploaded as "
            "PNG, one work each, cloak off; media written (published rendition and thumbnail "
            "under local/, the private original under private/) and the SQLite file's growth "
            "(including its WAL).",
            report,
        )


if __name__ == "__main__":
    main()
