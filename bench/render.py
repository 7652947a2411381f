"""Page rendering: sequential GETs of the HTML pages a visitor and a member see, for an artist
with many works. Prints one JSON line: per page p50/p95/p99/max latency in ms, the server's
CPU per request (when its pid is known), the response size and anything wrong with a response.
Target (the issue): the portfolio of an artist with 500 works renders in under 50 ms, paginated.

Without --base it starts its own cara-fed from this checkout (bench/server.py) and seeds it:
the accounts through the CLI (`cara-fed user add`), two real works of three images each
(`cara-fed post`, six aspect ratios, so every file is a real published image with its
thumbnail), then, written straight into the database with the tortoise models (the real path
screens each image and takes about a second a work), the rest of --works public works of 1 to 3
of those images, 3 pinned, 5 albums of 40 works, a dozen remote actors whose likes, boosts and
replies land on some works, and Follow rows: local follows are refused by `cara-fed follow`
("not supported yet"), so the member's follow of the artist is a seeded row too. Every response
is checked (status 200 and what the page should hold, e.g. 3 pinned + 30 tiles on the
portfolio), so an error page cannot pass for a fast page; before timing, every distinct <img>
of the first four pages is fetched once ("images": each must answer 200).

Pages, each warmed up then timed --requests times, one request at a time:
  portfolio      /@artist              page 1: pinned works, 30 tiles, 5 album covers
  portfolio_p10  /@artist?page=10      30 tiles, no pinned section
  work           /@artist/ID           3 images, 12 replies (2 with an image), likes, boosts
  album          /@artist/albums/ID    40 tiles
  instance_home  /                     the 24 most recent works, the artists
  member_feed    /home                 signed in as a member following the artist (40 entries)

Against another server (no seeding, looser checks):
  python bench/render.py --base http://127.0.0.1:8080 --artist NAME [--work ID] [--album ID]
       [--session COOKIE] [--pid PID]
`--results` writes bench/RESULTS.md (section "render").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import percentile
from bench.results import write_report
from bench.server import (
    CaraFed,
    add_common_options,
    cara_fed_server,
    cpu_seconds,
    with_overrides,
)

ARTIST, MEMBER = "artist", "member"
PASSWORD = "bench-password-1"
# Published sizes of the real images: landscape, portrait, square, panorama, tall, 3:2.
ASPECTS = [(1200, 900), (900, 1200), (1000, 1000), (1600, 600), (700, 1400), (1200, 800)]
TAGS = ["ink", "watercolour", "sketch", "portrait", "landscape", "oil", "study", "figure"]
ALBUMS, ALBUM_SIZE, PINNED = 5, 40, 3
REMOTE_ACTORS, TARGET_REPLIES, TARGET_LIKES, TARGET_BOOSTS = 12, 12, 25, 8
PER_PAGE, RECENT, FEED = 30, 24, 40  # cara_fed's portfolio page, home page and feed sizes
TARGET_MS = 50.0


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # substring -> exact occurrences
    contains: list[str] = field(default_factory=list)

    def problem(self, status: int, body: str) -> str | None:
        if status != 200:
            return f"status {status}"
        for text, wanted in self.counts.items():
            if (found := body.count(text)) != wanted:
                return f"{found}x {text} (wanted {wanted})"
        for text in self.contains:
            if text not in body:
                return f"no {text}"
        return None


# Seeding ----------------------------------------------------------------------------------


def write_image(path: Path, size: tuple[int, int], hue: int) -> Path:
    """A coloured gradient of `size` (screening and thumbnails see a real image)."""
    from PIL import Image

    grey = Image.radial_gradient("L").resize(size)
    tint = Image.new("RGB", size, ((hue * 67) % 256, (hue * 131) % 256, (hue * 29) % 256))
    Image.blend(grey.convert("RGB"), tint, 0.35).save(path)
    return path


def real_posts(server: CaraFed) -> list[str]:
    """Two works of three images each through `cara-fed post`; their URLs."""
    urls = []
    for number in range(2):
        args = ["post", ARTIST, "--title", f"Real work {number + 1}", "--no-cloak"]
        for i, size in enumerate(ASPECTS[number * 3 : number * 3 + 3]):
            image = write_image(server.root / f"real{number}-{i}.png", size, number * 3 + i)
            args += ["--image", str(image), "--alt", f"a tinted gradient, {size[0]}x{size[1]}"]
        urls.append(server.run(*args, "--text", "Made for the render benchmark.").split()[0])
    return urls


def post_id(when: datetime, rng: random.Random) -> int:
    return (int(when.timestamp() * 1000) << 16) | rng.getrandbits(16)  # as cara_fed.store.ids


async def seed(config_path: Path, works: int) -> dict[str, Any]:
    """Everything but the accounts and the real works, written with the tortoise models."""
    from activitypub.urls import Urls
    from cara_fed.config import load_config
    from cara_fed.store.db import database
    from cara_fed.store.models import (
        Actor,
        Album,
        AlbumItem,
        Follow,
        Interaction,
        MediaAttachment,
        Post,
    )

    config = load_config(config_path)
    urls = Urls(config.instance.url.rstrip("/"))
    rng = random.Random(500)
    async with database(config):
        artist = await Actor.get(local=True, username=ARTIST)
        member = await Actor.get(local=True, username=MEMBER)
        pool = await MediaAttachment.filter(post__author=artist).order_by("post_id", "position")
        now = datetime.now(UTC)

        posts = []
        for i in range(works - 2):  # the two real works are the newest
            when = now - timedelta(hours=6 * (i + 1), minutes=rng.randrange(300))
            pid = post_id(when, rng)
            sensitive = i % 37 == 20
            posts.append(
                Post(
                    id=pid,
                    uri=urls.post(ARTIST, pid),
                    url=urls.post_page(ARTIST, pid),
                    author=artist,
                    local=True,
                    content=f"<p>Study number {i}, from the sketchbook.</p>",
                    title=f"Study {i}" if i % 5 else "",
                    tags=rng.sample(TAGS, rng.randint(0, 3)),
                    summary="eye strain" if sensitive else None,
                    sensitive=sensitive,
                    visibility="public",
                    published=when,
                )
            )
        target = posts[4]  # on the portfolio's first page, not pinned, not sensitive
        pinned = [posts[100], posts[200], posts[300]]
        for minutes, post in enumerate(pinned):
            post.pinned_at = now - timedelta(minutes=minutes)
        await Post.bulk_create(posts, batch_size=200)

        media = []
        for post in posts:
            count = 3 if post is target else rng.choice((1, 1, 1, 2, 2, 3))
            for position, m in enumerate(rng.sample(pool, count)):
                media.append(copy_media(MediaAttachment, m, post.pk, position))
        await MediaAttachment.bulk_create(media, batch_size=500)

        remote = [
            Actor(
                uri=f"https://remote{n % 4}.example/users/fan{n}",
                username=f"fan{n}",
                domain=f"remote{n % 4}.example",
                display_name=f"Fan {n}",
                url=f"https://remote{n % 4}.example/@fan{n}",
                inbox=f"https://remote{n % 4}.example/users/fan{n}/inbox",
                shared_inbox=f"https://remote{n % 4}.example/inbox",
                key_id=f"https://remote{n % 4}.example/users/fan{n}#main-key",
                public_key_pem="-----BEGIN PUBLIC KEY-----\n(not used)\n-----END PUBLIC KEY-----",
            )
            for n in range(REMOTE_ACTORS)
        ]
        await Actor.bulk_create(remote)
        remote = await Actor.filter(local=False, username__startswith="fan").order_by("id")

        replies, reply_media = [], []
        for n in range(TARGET_REPLIES + 18):  # 12 on the target, 18 on other works
            parent = target if n < TARGET_REPLIES else posts[rng.randrange(10, 200)]
            author = remote[n % len(remote)]
            when = parent.published + timedelta(minutes=5 * (n + 1))
            reply = Post(
                id=post_id(when, rng),
                uri=f"https://{author.domain}/notes/{n}",
                url=f"https://{author.domain}/@{author.username}/{n}",
                author=author,
                content=f"<p>Lovely work! Reply number {n}.</p>",
                in_reply_to=parent.uri,
                visibility="public",
                published=when,
            )
            replies.append(reply)
            if n in (3, 7):  # two replies carry an image (a cached remote copy)
                m = copy_media(MediaAttachment, pool[n % len(pool)], reply.pk, 0)
                m.remote_url = f"https://{author.domain}/media/{n}.jpg"
                m.thumb_file = m.original_file = None
                reply_media.append(m)
        await Post.bulk_create(replies)
        await MediaAttachment.bulk_create(reply_media)

        interactions = []
        liked = [(target, TARGET_LIKES, TARGET_BOOSTS)] + [
            (post, rng.randint(1, 9), rng.randint(0, 3)) for post in rng.sample(posts[5:], 20)
        ]
        for post, likes, boosts in liked:
            for kind, count in (("Like", likes), ("Announce", boosts)):
                for k in range(count):
                    actor = remote[k % len(remote)]
                    interactions.append(
                        Interaction(
                            kind=kind,
                            actor=actor,
                            object_uri=post.uri,
                            activity_uri=f"https://{actor.domain}/activities/{len(interactions)}",
                            created_at=now - timedelta(minutes=17 * len(interactions)),
                        )
                    )
        await Interaction.bulk_create(interactions)

        albums = []
        for n in range(ALBUMS):
            album = await Album.create(
                owner=artist, title=f"Series {n + 1}", description=f"Forty works, set {n + 1}."
            )
            chosen = rng.sample(posts, ALBUM_SIZE)
            await AlbumItem.bulk_create(
                [AlbumItem(album=album, post_id=p.pk, position=k) for k, p in enumerate(chosen)]
            )
            albums.append(album)

        follows = [(member, artist)] + [(member, r) for r in remote[:4]]
        follows += [(r, artist) for r in remote] + [(artist, r) for r in remote[:3]]
        await Follow.bulk_create(
            [
                Follow(
                    follower=a,
                    followee=b,
                    state="accepted",
                    activity_uri=f"{urls.base}/activities/bench-follow-{n}",
                )
                for n, (a, b) in enumerate(follows)
            ]
        )
        return {
            "works": await Post.filter(author=artist).count(),
            "images": await MediaAttachment.filter(post__author=artist).count(),
            "pinned": len(pinned),
            "albums": ALBUMS,
            "album_size": ALBUM_SIZE,
            "remote_actors": len(remote),
            "replies": len(replies),
            "interactions": len(interactions),
            "follows": len(follows),
            "work_id": target.pk,
            "album_id": albums[0].pk,
        }


def copy_media(model: Any, m: Any, owner_id: int, position: int) -> Any:
    """A new attachment row pointing at the files of the real one `m`."""
    return model(
        post_id=owner_id,
        position=position,
        file_name=m.file_name,
        original_file=m.original_file,
        media_type=m.media_type,
        description=m.description,
        width=m.width,
        height=m.height,
        blurhash=m.blurhash,
        thumb_file=m.thumb_file,
        thumb_width=m.thumb_width,
        thumb_height=m.thumb_height,
        size_bytes=m.size_bytes,
        sha256=m.sha256,
        screening_verdict="accept",
        cloak_state=m.cloak_state,
    )


def sign_in(base: str, username: str, password: str) -> str:
    """The session cookie of a real web sign-in (the form's CSRF token first)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        if form.status_code != 200 or csrf is None:
            raise RuntimeError(f"no sign-in form at {base}/login ({form.status_code})")
        answer = client.post(
            "/login",
            data={"csrf": csrf.group(1), "username": username, "password": password},
        )
        token = answer.cookies.get("cara_session") or client.cookies.get("cara_session")
        if answer.status_code != 303 or not token:
            raise RuntimeError(f"sign-in as {username} failed: {answer.status_code}")
        return token


def broken_images(base: str, path: str) -> dict[str, Any]:
    """Every distinct <img> of a page fetched once: how many, and which did not answer 200."""
    with httpx.Client(timeout=30) as client:
        sources = sorted(set(re.findall(r'<img[^>]* src="([^"]+)"', client.get(base + path).text)))
        broken = [src for src in sources if client.get(src).status_code != 200]
    return {"distinct_images": len(sources), "broken": broken}


# Measuring --------------------------------------------------------------------------------


async def measure(
    base: str,
    pages: list[Page],
    session: str | None,
    requests: int,
    warmup: int,
    pid: int | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as client:
        for page in pages:
            headers = {"Accept": "text/html"}
            if page.signed_in:
                if not session:
                    out[page.name] = {"path": page.path, "skipped": "no member session"}
                    continue
                headers["Cookie"] = f"cara_session={session}"

            async def get(url: str = base + page.path, headers: dict = headers) -> tuple:
                started = time.perf_counter()
                async with client.get(url, headers=headers, allow_redirects=False) as response:
                    body = await response.text()
                return time.perf_counter() - started, response.status, body

            for _ in range(warmup):
                await get()
            latencies, problems = [], {}
            size = 0
            cpu_before = cpu_seconds(pid) if pid else None
            for _ in range(requests):
                elapsed, status, body = await get()
                latencies.append(elapsed)
                size = len(body.encode())
                if (problem := page.problem(status, body)) is not None:
                    problems[problem] = problems.get(problem, 0) + 1
            cpu = cpu_seconds(pid) - cpu_before if pid and cpu_before is not None else None
            latencies.sort()
            ms = [round(x * 1000, 1) for x in latencies]
            out[page.name] = {
                "path": page.path,
                "ok": requests - sum(problems.values()),
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "max_ms": ms[-1],
                "mean_ms": round(sum(latencies) / len(latencies) * 1000, 1),
                "server_cpu_ms_per_request": round(cpu / requests * 1000, 2)
                if cpu is not None
                else None,
                "bytes": size,
                "problems": problems,
            }
    return out


def seeded_pages(seeded: dict[str, Any]) -> list[Page]:
    works = seeded["works"]
    rest = works - PINNED
    page10 = min(PER_PAGE, max(0, rest - 9 * PER_PAGE))
    return [
        Page(
            "portfolio",
            f"/@{ARTIST}",
            counts={
                'role="listitem"': PINNED + PER_PAGE,
                'aria-label="Pinned works"': 1,
                'rel="next"': 1,
                f"/@{ARTIST}/albums/": ALBUMS,
            },
            contains=[f"{works} works ·"],
        ),
        Page(
            "portfolio_p10",
            f"/@{ARTIST}?page=10",
            counts={'role="listitem"': page10, 'aria-label="Pinned works"': 0, 'rel="prev"': 1},
        ),
        Page(
            "work",
            f"/@{ARTIST}/{seeded['work_id']}",
            counts={'class="work-image"': 3 + 2, 'class="reply"': TARGET_REPLIES},
            contains=[
                f"{TARGET_LIKES} likes",
                f"{TARGET_BOOSTS} boosts",
                f"{TARGET_REPLIES} replies",
            ],
        ),
        Page(
            "album",
            f"/@{ARTIST}/albums/{seeded['album_id']}",
            counts={'role="listitem"': ALBUM_SIZE},
        ),
        Page("instance_home", "/", counts={'role="listitem"': RECENT}, contains=["Recent work"]),
        Page(
            "member_feed",
            "/home",
            signed_in=True,
            counts={'class="entry"': FEED},
            contains=['class="boosted"', f"@{ARTIST}@"],
        ),
    ]


def given_pages(args: argparse.Namespace) -> list[Page]:
    """Pages of an existing server: only that each is a 200 with the right kind of content."""
    artist = args.artist
    pages = [
        Page("portfolio", f"/@{artist}", contains=['aria-label="Works"']),
        Page("portfolio_p10", f"/@{artist}?page=10", contains=["<h2>Works</h2>"]),
    ]
    if args.work:
        pages.append(Page("work", f"/@{artist}/{args.work}", contains=['class="work"']))
    if args.album:
        pages.append(Page("album", f"/@{artist}/albums/{args.album}", contains=['class="grid"']))
    pages.append(Page("instance_home", "/", contains=["Recent work"]))
    pages.append(Page("member_feed", "/home", signed_in=True, contains=['id="feed"']))
    return pages


def self_started(args: argparse.Namespace) -> dict[str, Any]:
    settings = with_overrides({"screening": {"classifier": "off"}}, args.set)
    with cara_fed_server(settings) as server:
        started = time.monotonic()
        server.run("user", "add", ARTIST, "--display-name", "Bench Artist")
        server.run("user", "add", MEMBER, "--password-stdin", stdin=PASSWORD + "\n")
        real = real_posts(server)
        seeded = asyncio.run(seed(server.config, args.works))
        session = sign_in(server.base, MEMBER, PASSWORD)
        setup = round(time.monotonic() - started, 1)
        pages = seeded_pages(seeded)
        images = {p.name: broken_images(server.base, p.path) for p in pages[:4]}
        measured = asyncio.run(
            measure(server.base, pages, session, args.requests, args.warmup, server.pid)
        )
    return {
        "seed": {**seeded, "real_works": len(real), "setup_seconds": setup},
        "images": images,
        "pages": measured,
        "server": "cara-fed (self-started)",
        "settings": settings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", help="an existing server's base URL (no seeding)")
    parser.add_argument("--artist", default=ARTIST, help="with --base: the artist's name")
    parser.add_argument("--work", type=int, help="with --base: a work's id")
    parser.add_argument("--album", type=int, help="with --base: an album's id")
    parser.add_argument("--session", help="with --base: a member's cara_session cookie")
    parser.add_argument("--pid", type=int, help="with --base: the server's pid, for its CPU")
    parser.add_argument("--works", type=int, default=500, help="works the seeded artist has")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    add_common_options(parser)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    if args.base:
        pages = asyncio.run(
            measure(
                args.base.rstrip("/"),
                given_pages(args),
                args.session,
                args.requests,
                args.warmup,
                args.pid,
            )
        )
        report: dict[str, Any] = {"pages": pages, "server": args.base}
    else:
        report = self_started(args)
    portfolio = report["pages"]["portfolio"]
    report = {
        "bench": "render",
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        **report,
        "target": f"portfolio p99 <= {TARGET_MS} ms",
        "portfolio_p99_ok": portfolio["p99_ms"] <= TARGET_MS and not portfolio["problems"],
        # Other work on the machine shows in the tails: the 1-minute load before and after.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report), flush=True)
    if args.results:
        seed_text = (
            f"an artist with {report['seed']['works']} public works "
            f"({report['seed']['images']} images, 3 pinned, 5 albums of 40), seeded; "
            if "seed" in report
            else ""
        )
        write_report(
            "render",
            "Page rendering (bench/render.py)",
            f"Sequential GETs of the HTML pages, {args.warmup} warm-up then {args.requests} "
            f"timed per page, one connection, the client on the same machine; {seed_text}"
            + report["server"]
            + f". Target: the portfolio's p99 ≤ {TARGET_MS:g} ms. Server CPU per request "
            "is the whole process's (web and its idle worker) over the timed requests.",
            report,
        )


if __name__ == "__main__":
    main()
