"""The cost of Content Credentials on a published work: CPU milliseconds and bytes that
`cloak.content_credentials.sign` adds to each rendition (2000×1500 JPEG and PNG, and the
640 px thumbnail), next to encoding that rendition, which every upload already pays; the
cloak itself takes about 60 s per 1024×1024 image (section "cloak").

Run: .venv/bin/python bench/credentials.py [--images N] [--results]
Prints one JSON line; `--results` writes bench/RESULTS.md (section "credentials").
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import write_report
from bench.thumbnail import photos, timed
from cloak.content_credentials import Statement, read, sign
from cloak.sanitize import encode_image
from cloak.signing_identity import make_identity

STATEMENT = Statement(
    creator_name="Ada",
    handle="@ada@art.example",
    actor_url="https://art.example/users/ada",
    resized=True,
    cloaked=True,
)
QUALITY = 92  # [media] jpeg_quality by default


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    identity = make_identity("art.example", datetime.now(UTC))

    def signed(data: bytes, media_type: str) -> bytes:
        chain, key = identity.chain_pem, identity.signing_key_pem
        return sign(data, media_type, STATEMENT, chain_pem=chain, key_pem=key)

    report: dict[str, object] = {"bench": "credentials"}
    cases = (("JPEG", "image/jpeg", None), ("PNG", "image/png", None), ("JPEG", "image/jpeg", 640))
    for fmt, media_type, side in cases:
        pixels = [Image.open(io.BytesIO(d)).convert("RGB") for d in photos(args.images, fmt)]
        if side:
            for image in pixels:
                image.thumbnail((side, side))
        files = [encode_image(p, fmt, quality=QUALITY).data for p in pixels]
        by_size = dict(zip(files, pixels, strict=True))
        sample = signed(files[0], media_type)
        assert read(sample, identity.ca_pem).trusted  # what is timed is a valid signature
        report[f"{fmt.lower()}_{pixels[0].width}x{pixels[0].height}"] = {
            "images": len(files),
            "file_kb": round(statistics.mean(len(f) for f in files) / 1024, 1),
            "added_kb": round((len(sample) - len(files[0])) / 1024, 1),
            "sign": timed(lambda d, t=media_type: signed(d, t), files),
            "encode_already_paid": timed(
                lambda d, f=fmt, b=by_size: encode_image(b[d], f, quality=QUALITY), files
            ),
        }
    print(json.dumps(report), flush=True)
    if args.results:
        write_report(
            "credentials",
            "Content Credentials per image (bench/credentials.py)",
            "CPU per rendition of signing its C2PA manifest (ES256, no embedded thumbnail, "
            "offline), on 2000×1500 photos and their 640 px thumbnails; "
            "`encode_already_paid` is the encode of the same rendition, which every upload "
            "pays already. The cloak, for scale, is about 60 s per 1024×1024 image.",
            report,
        )


if __name__ == "__main__":
    main()
