"""The admin's list of peer instances whose Content Credentials are trusted, each for its own
domain's works: adding a CA (fetched from the peer's well-known URL, or given as a file)
re-checks the images already here from that domain, so their pages show the line at once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cara_fed.errors import UserError
from cara_fed.store import credentials_trust as store
from cara_fed.store.media_store import MediaMissing
from cloak.content_credentials import read
from cloak.signing_identity import ca_certificate, fingerprint
from federation.http_client import FetchError
from inbox.credentials_check import CA_PATH, judge, published_ca

if TYPE_CHECKING:
    from cara_fed.instance import Instance


@dataclass(frozen=True)
class Trusted:
    domain: str
    sha256: str
    added: bool
    rechecked: int  # images already here whose credentials now hold


def _where(peer: str) -> tuple[str, str]:
    """(domain, origin) of `peer`: a domain (https) or a URL on the server."""
    parts = urlsplit(peer if "://" in peer else f"https://{peer}")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"{peer!r} is not a domain or an http(s) URL")
    return parts.netloc.lower(), f"{parts.scheme}://{parts.netloc}"


async def trust_peer(instance: Instance, peer: str, pem: str | None = None) -> Trusted:
    domain, origin = _where(peer)
    try:
        if pem is not None:
            ca = ca_certificate(pem)
        else:
            ca = await published_ca(instance.client, origin)
    except FetchError as exc:
        raise UserError(f"cannot fetch {origin}{CA_PATH}: {exc}") from None
    except ValueError as exc:
        raise UserError(f"{'the file: ' if pem is not None else ''}{exc}") from None
    sha256 = fingerprint(ca)
    added = await store.trust(domain, ca, sha256, "admin")
    return Trusted(domain, sha256, added, await recheck(instance, domain))


async def recheck(instance: Instance, domain: str) -> int:
    """Judge again, under the CAs now trusted for `domain`, the cached images whose signer
    was not trusted; returns how many now hold."""
    anchors = await store.anchors_for(domain)
    held = 0
    for image in await store.untrusted_images_of(domain):
        await image.fetch_related("post__author")
        try:
            data = await instance.media.get(image.file_name or "")
        except MediaMissing:
            continue
        found = await asyncio.to_thread(read, data, anchors)
        record = judge(found, image.post.author.uri)
        if record is not None and record["state"] != store.UNTRUSTED:
            await store.set_credentials(image, record)
            held += record["state"] == "trusted"
    return held


async def distrust_peer(peer: str) -> int:
    domain, _ = _where(peer)
    return await store.distrust(domain)
