"""The Content Credentials of a remote image, judged against the post that carries it.

Only a manifest that validates, is signed under a CA this instance trusts for the author's
own domain, names the post's author as creator and declares no generative source earns the
"Content Credentials: made by …" line. Anything else earns nothing and is recorded as what
it is: `untrusted` (a good signature by a signer not trusted for that domain), `invalid` (the
signature or a hash does not hold: the pixels changed, say), `forged` (it names someone else
as creator) or `generated` (screening refuses those). A CA trusted for one domain vouches for
nothing another domain sends.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from cloak.content_credentials import MADE_AS, Credentials, read
from cloak.signing_identity import ca_certificate, fingerprint
from federation.http_client import FetchError, GuardedClient
from inbox import storage

log = logging.getLogger(__name__)
TRUSTED, UNTRUSTED, INVALID, FORGED, GENERATED = (
    "trusted",
    "untrusted",
    "invalid",
    "forged",
    "generated",
)
CA_PATH = "/.well-known/content-credentials.pem"
_DECLARED = {url: name for name, url in MADE_AS.items()}
MAX_CA_BYTES = 16 * 1024


def judge(found: Credentials | None, author_uri: str) -> dict[str, Any] | None:
    """The record kept with the image: what the manifest says and its state."""
    if found is None:
        return None
    source = found.source_type or ""
    record: dict[str, Any] = {
        "creator_name": found.creator_name,
        "handle": found.handle,
        "actor_url": found.actor_url,
        "made_as": _DECLARED.get(source, source.rsplit("/", 1)[-1] or None),
        "no_training": found.no_training,
        "issuer": found.issuer,
        "actions": list(found.actions),
    }
    if found.generative:
        state, reason = GENERATED, f"declares {source.rsplit('/', 1)[-1]}"
    elif not found.signature_valid:
        state = INVALID
        reason = "the signature does not hold: " + ", ".join(found.failures or ("unknown",))
    elif found.actor_url != author_uri:
        state = FORGED
        reason = f"names {found.actor_url or 'no one'} as creator; the post is by {author_uri}"
    elif not found.trusted:
        state, reason = UNTRUSTED, "signed by a certificate not trusted here for this domain"
    else:
        state, reason = TRUSTED, ""
    return record | {"state": state, "reason": reason}


async def check(
    data: bytes, author_uri: str, domain: str, client: GuardedClient, first_contact: bool
) -> dict[str, Any] | None:
    """Read and judge an image's credentials against the CAs trusted for `domain`; with
    `first_contact`, a domain with none has its published CA trusted the first time one of
    its images carries a valid manifest (off by default: a trust an admin did not give)."""
    anchors = await storage.anchors_for(domain)
    found = await asyncio.to_thread(read, data, anchors)
    if (
        found is not None
        and first_contact
        and not anchors
        and found.signature_valid
        and found.actor_url == author_uri
        and await _trust_published(client, author_uri, domain)
    ):
        found = await asyncio.to_thread(read, data, await storage.anchors_for(domain))
    record = judge(found, author_uri)
    if record is not None and record["state"] in (INVALID, FORGED):
        log.warning("Content Credentials of an image by %s: %s", author_uri, record["reason"])
    return record


async def published_ca(client: GuardedClient, origin: str) -> str:
    """The CA certificate a server publishes at its well-known URL, normalised. Raises
    FetchError (unreachable) or ValueError (not answered, or not one CA certificate)."""
    url = origin + CA_PATH
    response = await client.request("GET", url, max_bytes=MAX_CA_BYTES)
    if response.status != 200:
        raise ValueError(f"{url} answered {response.status}: does that server publish one?")
    try:
        return ca_certificate(response.body.decode("ascii", "replace"))
    except ValueError as exc:
        raise ValueError(f"{url}: {exc}") from None


async def _trust_published(client: GuardedClient, author_uri: str, domain: str) -> bool:
    parts = urlsplit(author_uri)
    try:
        pem = await published_ca(client, f"{parts.scheme}://{parts.netloc}")
    except (FetchError, ValueError) as exc:
        log.info("no Content Credentials CA from %s: %s", domain, exc)
        return False
    await storage.trust(domain, pem, fingerprint(pem), "first-contact")
    log.info("trusted %s's Content Credentials CA %s on first contact", domain, fingerprint(pem))
    return True
