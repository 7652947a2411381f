"""What serving media from a bucket costs: /media/NAME answered from the media directory, from
a bucket in proxy mode (cara-fed reads the object and answers it) and in redirect mode (a 302
to the bucket's public URL, here SeaweedFS itself behind no CDN, then the object), each a
1600×1200 JPEG published by `cara-fed post`, fetched one after another on loopback; and a
cache's revalidation (If-None-Match, answered 304 after a HEAD of the object).

Run: .venv/bin/python bench/media_serving.py [--requests N]
Prints one JSON line: per mode the median and 90th percentile in milliseconds. Everything
runs on this machine (instances, SeaweedFS, the client), so it measures cara-fed's and the
store's work, not a network.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import artwork
from tests.instances import Instance
from tests.seaweedfs import SeaweedFS


def _timed(client: httpx.Client, url: str, count: int, **kwargs) -> dict[str, float]:
    for _ in range(10):  # warm: connections, the instance's boto3 client
        client.get(url, **kwargs)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        answer = client.get(url, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code in (200, 304), answer.status_code
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9)], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="media-bench-"))
    image = root / "work.jpg"
    image.write_bytes(artwork(1600, 1200, seed=3))
    weed = SeaweedFS().start()
    sites: dict[str, Instance] = {}
    try:
        public = weed.new_bucket(public_prefixes=("local/",))
        configs = {
            "local": "",
            "s3 proxy": weed.new_bucket().media_config(),
            # No CDN here: the bare bucket cannot send the no-AI headers, so the start-up
            # check is off ([policy] advertise_noai = false) for this measurement only.
            "s3 redirect": public.media_config("redirect", public.url),
        }
        results: dict[str, object] = {}
        for mode, media in configs.items():
            site = Instance(name=mode.replace(" ", "-"), root=root / mode.replace(" ", "-"))
            site.media_config = media
            site.extra_config = "[policy]\nadvertise_noai = false" if "redirect" in mode else ""
            site.write_config()
            site.start()
            sites[mode] = site
            site.cli("user", "add", "ana")
            site.cli("post", "ana", "--image", str(image), "--alt", "a study", "--no-cloak")
            [(name,)] = site.query("SELECT file_name FROM media_attachments")
            url = f"{site.base_url}/media/{name}"
            with httpx.Client(follow_redirects=True) as client:
                first = client.get(url)
                etag = first.headers.get("etag") or first.history[0].headers.get("etag", "")
                results[mode] = {
                    "bytes": len(first.content),
                    "get": _timed(client, url, args.requests),
                }
                if mode != "s3 redirect":
                    results[mode]["revalidate"] = _timed(
                        client, url, args.requests, headers={"If-None-Match": etag}
                    )
        print(json.dumps({"requests": args.requests, **results}))
    finally:
        for site in sites.values():
            site.stop()
        weed.cleanup()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
