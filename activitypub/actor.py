"""Actors: the document we publish for a local account, and the strict reading of a remote one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from activitypub.errors import InvalidObject
from activitypub.html import sanitize_html
from activitypub.timefmt import format_time
from activitypub.values import (
    first_type,
    http_uri_or_none,
    id_of,
    optional_str,
    optional_uri,
    origin,
    require_uri,
)
from activitypub.vocab import ACTOR_TYPES, CONTEXT

MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
# Mastodon's Account::USERNAME_RE, whole: letters, digits and underscores, with dots and dashes
# only between them. Anything else (an "@", a space, a look-alike letter) could make a remote
# handle read as another account, ours among them: `artist@ourhost` from evil.example
# would show as @artist@ourhost@evil.example.
USERNAME = re.compile(r"[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*")
MAX_USERNAME_LENGTH = 100
MAX_ALIASES = 20
# What changes how the text around it reads without being seen: bidi embeddings, overrides
# and isolates, zero-width spaces and joiners, the word joiner and BOM. A display name keeps
# everything else.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class ImageRef:
    url: str
    media_type: str


@dataclass(frozen=True)
class LocalActor:
    """What `build_actor` needs; the caller derives the URLs from the instance's routes."""

    id: str
    type: str
    username: str
    name: str
    summary_html: str
    url: str
    inbox: str
    shared_inbox: str
    key_id: str
    public_key_pem: str
    published: datetime
    # Collections; the instance actor (an Application) has none.
    outbox: str | None = None
    followers: str | None = None
    following: str | None = None
    featured: str | None = None
    manually_approves_followers: bool = False
    discoverable: bool = True
    indexable: bool = False
    icon: ImageRef | None = None
    image: ImageRef | None = None
    # Profile fields as Mastodon shows them: (name, value as HTML).
    fields: tuple[tuple[str, str], ...] = ()
    # Supplementary collections (AS2 `streams`): the artist's albums.
    streams: tuple[str, ...] = ()
    # FEP-521a keys that sign what the actor publishes: (key id, multibase public key).
    assertion_keys: tuple[tuple[str, str], ...] = ()
    # Links listed as `attachment`s, as (rel, href, mediaType): the instance actor's Content
    # Credentials CA, for peers to pin.
    links: tuple[tuple[str, str, str], ...] = ()
    # Account migration: the accounts this one says it also is (the ones it moves from),
    # and, once it has moved, the account it moved to.
    also_known_as: tuple[str, ...] = ()
    moved_to: str | None = None
    # Suspended by an admin here: Mastodon's `toot:suspended`, with the profile left out.
    suspended: bool = False


def _image(ref: ImageRef) -> dict[str, str]:
    return {"type": "Image", "mediaType": ref.media_type, "url": ref.url}


def build_actor(actor: LocalActor) -> dict[str, Any]:
    """The actor document with every field Mastodon reads when it resolves an account."""
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": actor.id,
        "type": actor.type,
        "preferredUsername": actor.username,
        "name": actor.name,
        "summary": actor.summary_html,
        "url": actor.url,
        "inbox": actor.inbox,
        "outbox": actor.outbox,
        "followers": actor.followers,
        "following": actor.following,
        "featured": actor.featured,
        "endpoints": {"sharedInbox": actor.shared_inbox},
        "publicKey": {
            "id": actor.key_id,
            "owner": actor.id,
            "publicKeyPem": actor.public_key_pem,
        },
        "manuallyApprovesFollowers": actor.manually_approves_followers,
        "discoverable": actor.discoverable,
        "indexable": actor.indexable,
        "published": format_time(actor.published),
        "attachment": [
            *({"type": "PropertyValue", "name": n, "value": v} for n, v in actor.fields),
            *({"type": "Link", "rel": r, "href": h, "mediaType": m} for r, h, m in actor.links),
        ],
        "tag": [],
    }
    if actor.streams:
        doc["streams"] = list(actor.streams)
    if actor.also_known_as:
        doc["alsoKnownAs"] = list(actor.also_known_as)
    if actor.moved_to:
        doc["movedTo"] = actor.moved_to
    if actor.suspended:
        doc["suspended"] = True
    for collection in ("outbox", "followers", "following", "featured"):
        if doc[collection] is None:
            del doc[collection]
    if actor.icon:
        doc["icon"] = _image(actor.icon)
    if actor.image:
        doc["image"] = _image(actor.image)
    if actor.assertion_keys:
        doc["@context"] = [*CONTEXT, MULTIKEY_CONTEXT]
        doc["assertionMethod"] = [
            {"id": key_id, "type": "Multikey", "controller": actor.id, "publicKeyMultibase": key}
            for key_id, key in actor.assertion_keys
        ]
    return doc


@dataclass(frozen=True)
class RemoteActor:
    """A remote actor as we trust it: its key is owned by it and served from its origin."""

    id: str
    type: str
    preferred_username: str
    name: str
    summary: str
    url: str | None
    inbox: str
    shared_inbox: str | None
    outbox: str | None
    followers: str | None
    following: str | None
    featured: str | None
    key_id: str
    public_key_pem: str
    manually_approves_followers: bool
    discoverable: bool
    indexable: bool
    icon_url: str | None
    image_url: str | None
    # The accounts it says it also is: a Move to it from one of them is believed only then.
    also_known_as: tuple[str, ...] = ()


def _url_of(value: Any) -> str | None:
    """`url`/`icon` may be a string, a Link/Image object or a list of them."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and "url" in value:
        return _url_of(value["url"])
    return http_uri_or_none(id_of(value))


def parse_actor(doc: Any) -> RemoteActor:
    """Read a remote actor strictly: everything we later rely on is checked here, once."""
    if not isinstance(doc, dict):
        raise InvalidObject("actor document must be a JSON object")
    actor_id = require_uri(doc.get("id"), "actor id")
    actor_type = first_type(doc)
    if actor_type not in ACTOR_TYPES:
        raise InvalidObject(f"{actor_type!r} is not an actor type")
    username = optional_str(doc.get("preferredUsername"), "preferredUsername", 255)
    if not username:
        raise InvalidObject("actor has no preferredUsername")
    # An instance actor is named after its host (Mastodon's, and ours), port and all.
    own_host = username.lower() == urlsplit(actor_id).netloc.lower()
    if not own_host and (len(username) > MAX_USERNAME_LENGTH or not USERNAME.fullmatch(username)):
        raise InvalidObject(
            f"preferredUsername {username[:40]!r} is not a username (letters, digits and _, "
            f"with . and - between them, at most {MAX_USERNAME_LENGTH})"
        )
    key = doc.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict)), None)
    if not isinstance(key, dict):
        raise InvalidObject("actor has no publicKey")
    key_id = require_uri(key.get("id"), "publicKey id")
    owner = require_uri(key.get("owner"), "publicKey owner")
    pem = optional_str(key.get("publicKeyPem"), "publicKeyPem", 20_000)
    if not pem or "PUBLIC KEY" not in pem:
        raise InvalidObject("publicKey has no publicKeyPem")
    if owner != actor_id:
        raise InvalidObject("publicKey owner is not the actor")
    if origin(key_id) != origin(actor_id):
        raise InvalidObject("publicKey is not served from the actor's origin")
    endpoints = doc.get("endpoints") if isinstance(doc.get("endpoints"), dict) else {}
    # Our signed deliveries go where the actor says: only to its own server. A personal inbox
    # elsewhere refuses the actor; a shared inbox elsewhere is dropped (the personal one
    # still reaches it).
    inbox = require_uri(doc.get("inbox"), "inbox")
    if origin(inbox) != origin(actor_id):
        raise InvalidObject("the actor's inbox is not on the actor's own server")
    shared_inbox = optional_uri(endpoints.get("sharedInbox"), "sharedInbox")
    if shared_inbox and origin(shared_inbox) != origin(actor_id):
        shared_inbox = None
    return RemoteActor(
        id=actor_id,
        type=actor_type,
        preferred_username=username,
        name=INVISIBLE.sub("", optional_str(doc.get("name"), "name", 1000) or "").strip(),
        summary=sanitize_html(optional_str(doc.get("summary"), "summary", 100_000) or ""),
        url=_url_of(doc.get("url")),
        inbox=inbox,
        shared_inbox=shared_inbox,
        outbox=optional_uri(doc.get("outbox"), "outbox"),
        followers=optional_uri(doc.get("followers"), "followers"),
        following=optional_uri(doc.get("following"), "following"),
        featured=optional_uri(doc.get("featured"), "featured"),
        key_id=key_id,
        public_key_pem=pem,
        manually_approves_followers=doc.get("manuallyApprovesFollowers") is True,
        discoverable=doc.get("discoverable") is True,
        indexable=doc.get("indexable") is True,
        icon_url=_url_of(doc.get("icon")),
        image_url=_url_of(doc.get("image")),
        also_known_as=_aliases(doc.get("alsoKnownAs")),
    )


def _aliases(value: Any) -> tuple[str, ...]:
    """http(s) IRIs only, at most MAX_ALIASES; anything else in the list is dropped."""
    found = [http_uri_or_none(id_of(v)) for v in (value if isinstance(value, list) else [value])]
    return tuple(dict.fromkeys(uri for uri in found if uri))[:MAX_ALIASES]
