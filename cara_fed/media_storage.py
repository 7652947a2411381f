"""The media store the config describes (the same for the server, the workers, the CLI and
the cloak's child process), where /media/NAME sends a browser in redirect mode, and the check
`serve` makes before it starts: that a bucket never shows a private original to anyone, and
that in redirect mode the public URL sends the no-AI headers with every image.

Why the check: an S3 bucket cannot send `X-Robots-Tag` or `tdm-reservation` (a PUT keeps
only `x-amz-meta-*` and a few standard headers, and no S3 call sets others), yet every media
response must carry them. In proxy mode cara-fed answers /media/NAME itself, with the headers
a local file gets. In redirect mode the browser reads the object from `s3_public_url`, which
must be a CDN or proxy that adds them; cara-fed writes a probe object, reads it back through
that URL and refuses to start unless the headers come back."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

import httpx

from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.store.media_store import (
    LocalMediaStore,
    MediaStore,
    MediaStoreError,
    S3MediaStore,
    S3Settings,
)
from cloak import policy

# A 1×1 PNG: the probe is an image, so a CDN rule that adds headers to images applies to it.
PROBE_IMAGE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63606060600000000500017aa857500000000049454e44ae426082"
)


class MediaServingError(UserError):
    """The bucket would show private files, or the public URL would serve media without the
    no-AI headers; the message says what to change."""


def media_store_for(config: Config) -> MediaStore:
    media = config.media
    if media.backend == "local":
        return LocalMediaStore(config.media_dir)
    access_key, secret_key = media.s3_credentials()
    return S3MediaStore(
        S3Settings(
            endpoint=media.s3_endpoint,
            bucket=media.s3_bucket,
            access_key=access_key,
            secret_key=secret_key,
            region=media.s3_region,
            prefix=media.s3_prefix,
            # The statement travels with the bucket's copy, as metadata (x-amz-meta-*): the
            # real headers cannot be set on an object (see above).
            metadata=(
                {name.lower(): value for name, value in _noai_headers(config).items()}
                if config.policy.advertise_noai
                else {}
            ),
        )
    )


# A presigned URL is good this long; the redirect to it is kept for at most half of it, so
# a browser or cache that kept the redirect still reaches a URL that works.
PRESIGNED_SECONDS = 7200
PRESIGNED_REDIRECT_CACHE = "private, max-age=3600"


def redirects(config: Config) -> bool:
    return config.media.backend == "s3" and config.media.s3_serve in ("redirect", "presigned")


def public_url(config: Config, store: MediaStore, name: str) -> str:
    """Where a browser reads a public media file. Redirect mode: s3_public_url, then the
    object's key (prefix and name). Presigned mode: a presigned URL, with s3_public_url's
    scheme and host in place of the endpoint's when it is set (the signature covers the
    endpoint's host, which the CDN or proxy sends on when it forwards)."""
    assert isinstance(store, S3MediaStore)
    media = config.media
    if media.s3_serve == "presigned":
        url = store.presigned_url(name, PRESIGNED_SECONDS)
        if not media.s3_public_url:
            return url
        public, signed = urlsplit(media.s3_public_url), urlsplit(url)
        return urlunsplit((public.scheme, public.netloc, signed.path, signed.query, ""))
    return media.s3_public_url.rstrip("/") + "/" + store.key(name)


def _noai_headers(config: Config) -> dict[str, str]:
    return policy.response_headers(config.policy.tdm_policy_url)


def _bucket_url(store: S3MediaStore, name: str) -> str:
    """The object's URL at the endpoint, path-style, as an anonymous reader would ask."""
    return f"{store.settings.endpoint.rstrip('/')}/{store.settings.bucket}/{store.key(name)}"


async def check_media_serving(config: Config) -> None:
    """Run by `serve` before it starts (not by other commands: they serve nothing). Writes
    two small probe objects and removes them. Raises MediaServingError saying what is wrong."""
    if config.media.backend != "s3":
        return
    store = media_store_for(config)
    assert isinstance(store, S3MediaStore)
    probe = f"cara-fed-check-{secrets.token_hex(8)}.png"
    private, public = f"private/{probe}", f"local/{probe}"
    try:
        async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as client:
            await store.put(private, PROBE_IMAGE)
            await _check_private(config, store, client, private)
            if redirects(config) and config.policy.advertise_noai:
                await store.put(public, PROBE_IMAGE)
                await _check_public(config, store, client, public)
    except MediaStoreError as exc:
        raise MediaServingError(f"media storage: {exc}") from None
    except httpx.HTTPError as exc:
        raise MediaServingError(
            f"media storage: checking what the public sees failed: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        for name in (private, public):
            try:
                await store.delete(name)
            except MediaStoreError:
                pass  # the check's own error (or the store's) says more


async def _check_private(
    config: Config, store: S3MediaStore, client: httpx.AsyncClient, name: str
) -> None:
    """Private originals must not be readable without credentials: not at the endpoint, and
    in redirect mode not through the public URL either."""
    urls = [_bucket_url(store, name)]
    if config.media.s3_serve == "redirect":
        urls.append(public_url(config, store, name))
    for url in urls:
        answer = await client.get(url)
        if answer.is_success:
            prefix = store.prefix
            raise MediaServingError(
                f"media storage: {url} answered {answer.status_code} to a request without "
                f"credentials, so the artists' private originals ({prefix}private/...) would be "
                f"public. Allow anonymous reads of {prefix}local/* and {prefix}remote/* only "
                '(README, Object storage), or none at all with s3_serve = "proxy"'
            )


async def _check_public(
    config: Config, store: S3MediaStore, client: httpx.AsyncClient, name: str
) -> None:
    url = public_url(config, store, name)
    answer = await client.get(url)
    if answer.status_code != 200 and config.media.s3_serve == "presigned":
        raise MediaServingError(
            f"media storage: a presigned URL does not serve the bucket's media: {url} answered "
            f"{answer.status_code}. The CDN or proxy at s3_public_url must pass each request "
            f"on to {store.settings.endpoint} unchanged (path and query) and with that "
            "endpoint's Host, which the signature covers"
        )
    if answer.status_code != 200:
        raise MediaServingError(
            f"media storage: s3_public_url does not serve the bucket's public media: {url} "
            f"answered {answer.status_code}. Allow anonymous GetObject on "
            f"{store.prefix}local/* and {store.prefix}remote/* (README, Object storage)"
        )
    missing = [
        f"{header}: {value}"
        for header, value in _noai_headers(config).items()
        if not _carries(answer.headers.get(header, ""), value)
    ]
    if missing:
        host = urlsplit(url).netloc
        raise MediaServingError(
            f"media storage: {host} serves media without the no-AI headers ({url} lacks "
            f"{'; '.join(missing)}). A bucket cannot send them itself: add them to every "
            'response at the CDN or proxy behind s3_public_url, or set s3_serve = "proxy" '
            "so that cara-fed serves media with them"
        )


def _carries(sent: str, wanted: str) -> bool:
    """Every comma-separated token of `wanted` is among those `sent` (X-Robots-Tag may say
    more, such as noindex)."""
    tokens = {token.strip().lower() for token in sent.split(",")}
    return all(token.strip().lower() in tokens for token in wanted.split(","))
