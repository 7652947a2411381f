"""Fetching remote ActivityPub documents: actors, keys, objects, WebFinger.

Every fetch is a signed GET through the guarded client (peers with authorized fetch need the
signature). What comes back is trusted only if it says it is what we asked for: the returned
`id` must be the URL asked (GoToSocial #2639), the Content-Type an ActivityStreams one, and
redirects may not leave the origin (Akkoma 2024.03).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urldefrag

from activitypub.actor import parse_actor
from activitypub.errors import InvalidObject
from activitypub.values import id_of, origin
from activitypub.vocab import AS_ACCEPT, JRD_JSON, is_activitypub_media_type
from activitypub.webfinger import Account
from federation import storage
from federation.clock import Clock
from federation.http_client import FetchError, GuardedClient
from federation.signatures.cavage import sign_headers
from federation.signatures.errors import KeyUnavailable, SignatureError
from federation.signatures.verify import KeyHolder

KEY_FETCH_COOLOFF_SECONDS = 60
# Verified keys are kept in memory this long: every inbox POST needs its key, and the database
# lookup was a tenth of the cost of ingest. Changes made in this process (a refetch, a Delete)
# replace the entry at once; changes made by another process are seen after this delay, and a
# key that stops verifying is refetched anyway.
KEY_CACHE_SECONDS = 60
KEY_CACHE_ENTRIES = 10_000


class ResolveError(Exception):
    """A remote document could not be fetched or is not acceptable; the message says why.
    `transient`: its server did not answer, or answered 5xx or 429, and may answer later."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key_pem: str


class KeyCache:
    """key id -> who holds it, for `KEY_CACHE_SECONDS`, least recently used dropped first."""

    def __init__(self, seconds: float = KEY_CACHE_SECONDS, entries: int = KEY_CACHE_ENTRIES):
        self._seconds = seconds
        self._entries = entries
        self._held: OrderedDict[str, tuple[datetime, KeyHolder]] = OrderedDict()

    def get(self, key_id: str, now: datetime) -> KeyHolder | None:
        cached = self._held.get(key_id)
        if cached is None or (now - cached[0]).total_seconds() >= self._seconds:
            return None
        self._held.move_to_end(key_id)
        return cached[1]

    def put(self, holder: KeyHolder, now: datetime) -> None:
        self._held[holder.key_id] = (now, holder)
        self._held.move_to_end(holder.key_id)
        while len(self._held) > self._entries:
            self._held.popitem(last=False)

    def forget(self, key_id: str | None) -> None:
        if key_id:
            self._held.pop(key_id, None)


class Resolver:
    def __init__(
        self,
        client: GuardedClient,
        signer: Signer,
        clock: Clock,
        *,
        actor_ttl_seconds: int,
        max_json_bytes: int,
    ) -> None:
        self._client = client
        self._signer = signer
        self._clock = clock
        self._ttl = timedelta(seconds=actor_ttl_seconds)
        self._key_fetches: dict[str, tuple[datetime, ResolveError | None]] = {}
        self._keys = KeyCache()
        self._max_json_bytes = max_json_bytes

    def _sign(self, request: Any) -> None:
        signed = sign_headers(
            method=request.method,
            url=str(request.url),
            headers={"accept": request.headers.get("accept", AS_ACCEPT)},
            key_id=self._signer.key_id,
            private_key_pem=self._signer.private_key_pem,
            now=self._clock.now(),
        )
        for name in ("host", "date", "signature"):
            request.headers[name] = signed[name]

    async def fetch_json(
        self, url: str, *, accept: str = AS_ACCEPT, activitypub: bool = True
    ) -> dict[str, Any]:
        try:
            response = await self._client.request(
                "GET",
                url,
                headers={"Accept": accept},
                max_bytes=self._max_json_bytes,
                follow_redirects=True,
                sign=self._sign if activitypub else None,
            )
        except FetchError as exc:
            raise ResolveError(str(exc), transient=exc.transient) from None
        if response.status != 200:
            raise ResolveError(
                f"GET {url} answered {response.status}",
                transient=response.status >= 500 or response.status == 429,
            )
        if activitypub and origin(response.url) != origin(url):
            raise ResolveError(f"GET {url} redirected to another origin ({response.url})")
        if activitypub and not is_activitypub_media_type(response.content_type):
            raise ResolveError(
                f"GET {url} returned {response.content_type or 'no content type'}, "
                "not an ActivityStreams document"
            )
        try:
            doc = json.loads(response.body)
        except (ValueError, RecursionError):
            raise ResolveError(f"GET {url} did not return valid JSON") from None
        if not isinstance(doc, dict):
            raise ResolveError(f"GET {url} did not return a JSON object")
        return doc

    async def fetch_object(self, url: str) -> dict[str, Any]:
        """An object whose `id` is exactly the URL we asked for (fragment aside)."""
        doc = await self.fetch_json(url)
        if id_of(doc) != urldefrag(url).url:
            raise ResolveError(f"GET {url} returned an object whose id is {id_of(doc)!r}")
        return doc

    async def actor(self, uri: str, *, refresh: bool = False) -> storage.Actor:
        """The remote actor at `uri`, from the cache unless stale or `refresh` is asked."""
        known = await storage.actor_by_uri(uri)
        if known and (
            known.local
            or (
                not refresh
                and known.fetched_at
                and self._clock.now() - known.fetched_at < self._ttl
            )
        ):
            return known
        doc = await self.fetch_object(uri)
        try:
            remote = parse_actor(doc)
        except InvalidObject as exc:
            raise ResolveError(f"{uri} is not a usable actor: {exc}") from None
        if known:
            self._keys.forget(known.key_id)  # a rotated key stops working at once
        return await storage.upsert_remote_actor(remote, self._clock.now())

    def forget(self, actor: storage.Actor) -> None:
        """`actor` was deleted or changed by a handler: its key is not to be trusted from
        memory any more."""
        self._keys.forget(actor.key_id)

    async def key(self, key_id: str, *, refresh: bool = False) -> storage.Actor:
        """The actor owning `key_id`; the key must be listed back by its owner.

        A key is fetched from the network at most once per cool-off period, whether the fetch
        succeeded or failed, so forged requests naming a key cannot make us hammer its host
        (Mastodon guards the same with a circuit breaker)."""
        known = await storage.actor_by_key_id(key_id)
        if known and (known.local or not refresh):
            return known
        last = self._key_fetches.get(key_id)
        if last and (self._clock.now() - last[0]).total_seconds() < KEY_FETCH_COOLOFF_SECONDS:
            if last[1] is not None:
                raise last[1]
            if known:
                return known
        if len(self._key_fetches) > 10_000:
            self._key_fetches.clear()
        try:
            actor = await self._fetch_key_owner(key_id)
        except ResolveError as exc:
            self._key_fetches[key_id] = (self._clock.now(), exc)
            raise
        self._key_fetches[key_id] = (self._clock.now(), None)
        return actor

    async def key_holder(self, key_id: str, refresh: bool) -> KeyHolder:
        """`key` as the signature verifier wants it: who holds the key, or SignatureError."""
        now = self._clock.now()
        if not refresh and (held := self._keys.get(key_id, now)):
            return held
        try:
            actor = await self.key(key_id, refresh=refresh)
        except ResolveError as exc:
            self._keys.forget(key_id)
            if exc.transient:
                raise KeyUnavailable(f"cannot get key {key_id} now: {exc}") from None
            raise SignatureError(f"cannot get key {key_id}: {exc}") from None
        holder = KeyHolder(actor.key_id, actor.uri, actor.public_key_pem)
        if holder.key_id == key_id:
            self._keys.put(holder, now)
        return holder

    async def _fetch_key_owner(self, key_id: str) -> storage.Actor:
        doc = await self.fetch_json(urldefrag(key_id).url)
        owner = doc.get("owner") if "publicKeyPem" in doc else id_of(doc)
        owner = id_of(owner)
        if not owner or origin(owner) != origin(key_id):
            raise ResolveError(f"key {key_id} has no owner on its own origin")
        actor = await self.actor(owner, refresh=True)
        if actor.key_id != key_id:
            raise ResolveError(f"actor {owner} does not list key {key_id} as its own")
        return actor

    async def webfinger_jrd(self, account: Account, scheme: str = "https") -> dict[str, Any]:
        """The WebFinger document of `user@host`."""
        url = f"{scheme}://{account.domain}/.well-known/webfinger?resource={account.resource}"
        return await self.fetch_json(url, accept=JRD_JSON, activitypub=False)
