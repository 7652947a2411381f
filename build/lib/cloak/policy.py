"""The no-AI-training policy in every format crawlers and peers read: HTTP headers, HTML meta,
robots.txt, Spawning's ai.txt and W3C TDMRep. These are requests: some crawlers honour them,
some do not, which is why the instance can also refuse known AI crawlers outright."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

CRAWLERS = Path(__file__).parent / "data" / "ai_crawlers.txt"
NOAI = "noai, noimageai"
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff", "svg")
# What machine readers may fetch even from a crawler we refuse: the policy itself.
POLICY_PATHS = ("/robots.txt", "/ai.txt", "/.well-known/tdmrep.json")


@lru_cache(maxsize=1)
def ai_crawlers(path: Path = CRAWLERS) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_ai_crawler(user_agent: str) -> bool:
    agent = user_agent.casefold()
    return any(token.casefold() in agent for token in ai_crawlers())


def response_headers(tdm_policy_url: str = "") -> dict[str, str]:
    headers = {"X-Robots-Tag": NOAI, "tdm-reservation": "1"}
    if tdm_policy_url:
        headers["tdm-policy"] = tdm_policy_url
    return headers


def robots_txt() -> str:
    """Each AI-training crawler is disallowed everywhere; everyone else, search included, is
    allowed (inboxes and the API are not pages to crawl)."""
    blocks = [f"User-agent: {name}\nDisallow: /\n" for name in ai_crawlers()]
    blocks.append("User-agent: *\nDisallow: /inbox\nDisallow: /users/*/inbox\nAllow: /\n")
    return "# Work on this instance may not be used to train AI models.\n\n" + "\n".join(blocks)


def ai_txt() -> str:
    """Spawning's ai.txt: robots.txt syntax, read by dataset tools such as img2dataset."""
    lines = [
        "# Spawning AI",
        "# Prevent datasets from using the following file types",
        "",
        "User-Agent: *",
    ]
    lines += [f"Disallow: *.{ext}" for ext in IMAGE_EXTENSIONS]
    lines += ["Disallow: /", ""]
    return "\n".join(lines)


def tdmrep_json(tdm_policy_url: str = "") -> str:
    """W3C TDMRep: text and data mining rights reserved for every path."""
    entry: dict[str, object] = {"location": "/*", "tdm-reservation": 1}
    if tdm_policy_url:
        entry["tdm-policy"] = tdm_policy_url
    return json.dumps([entry], indent=2) + "\n"
