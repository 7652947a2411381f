"""Our models → the Mastodon client API's JSON entities (docs.joinmastodon.org/entities), the
third direction beside to_as.py and from_as.py, as GoToSocial's `internaltofrontend.go`.

Pure: counts and other facts that need queries come in as values. The shapes follow Mastodon
4.3's serializers: ids are strings, times carry milliseconds, arrays are never null, and
avatar and header are always real image URLs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from activitypub.urls import Urls
from cara_fed import __version__
from cara_fed.config import Config
from cara_fed.convert.to_as import UsageCounts
from cara_fed.services.post_text import html_to_text
from cara_fed.services.scopes import SUPPORTED
from cara_fed.store.api_models import OAuthApp
from cara_fed.store.blocks import BlockState
from cara_fed.store.models import Actor

# The Mastodon API level claimed, then ours: Mastodon.py and other clients read the leading
# N.N.N (a bare "cara-fed 0.1.0" makes Mastodon.py's log_in fail); 4.3.0 is the level whose
# entities this module follows, API version 2 its /api/v2/instance `api_versions`.
MASTODON_LEVEL = "4.3.0"
API_VERSION = 2
VERSION = f"{MASTODON_LEVEL} (compatible; cara-fed {__version__})"
SOURCE_URL = "https://github.com/cara-fed/cara-fed"
# Still images only: what the upload path accepts (cloak/sanitize.py).
SUPPORTED_MIME_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_CHARACTERS = 5000
MAX_MEDIA_ATTACHMENTS = 4
DEFAULT_AVATAR = "/avatars/original/missing.png"
DEFAULT_HEADER = "/headers/original/missing.png"
THUMBNAIL = "/instance/thumbnail.png"


def timestamp(moment: datetime) -> str:
    """RFC 3339 with milliseconds and a Z, as Mastodon writes times."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def rules(config: Config) -> list[dict[str, str]]:
    return [
        {"id": str(number), "text": text, "hint": ""}
        for number, text in enumerate(config.instance.rules, start=1)
    ]


def _media_limits(config: Config) -> dict[str, Any]:
    return {
        "supported_mime_types": list(SUPPORTED_MIME_TYPES),
        "image_size_limit": config.media.max_upload_bytes,
        "image_matrix_limit": config.media.max_pixels,
        # No video, but clients expect the keys.
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
    }


_STATUSES = {
    "max_characters": MAX_CHARACTERS,
    "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
    "characters_reserved_per_url": 23,
}
# No polls here; Mastodon's limits, which clients read before they offer a poll at all.
_POLLS = {
    "max_options": 4,
    "max_characters_per_option": 50,
    "min_expiration": 300,
    "max_expiration": 2629746,
}


def instance_v1(config: Config, urls: Urls, usage: UsageCounts, domains: int) -> dict[str, Any]:
    registrations = config.instance.registrations
    return {
        "uri": urls.domain,
        "title": config.instance.name,
        "short_description": config.instance.description,
        "description": escape(config.instance.description),
        "email": "",
        "version": VERSION,
        "urls": {"streaming_api": urls.base.replace("http", "ws", 1)},
        "stats": {
            "user_count": usage.users,
            "status_count": usage.local_posts,
            "domain_count": domains,
        },
        "thumbnail": urls.base + THUMBNAIL,
        "languages": ["en"],
        "registrations": registrations != "closed",
        "approval_required": registrations == "approval",
        "invites_enabled": False,
        "configuration": {
            "accounts": {"max_featured_tags": 0},
            "statuses": _STATUSES,
            "media_attachments": _media_limits(config),
            "polls": _POLLS,
        },
        "contact_account": None,
        "rules": rules(config),
    }


def instance_v2(config: Config, urls: Urls, usage: UsageCounts, domains: int) -> dict[str, Any]:
    registrations = config.instance.registrations
    return {
        "domain": urls.domain,
        "title": config.instance.name,
        "version": VERSION,
        "source_url": SOURCE_URL,
        "description": config.instance.description,
        "usage": {"users": {"active_month": usage.active_month}},
        "thumbnail": {"url": urls.base + THUMBNAIL},
        "icon": [],
        "languages": ["en"],
        "configuration": {
            "urls": {"streaming": urls.base.replace("http", "ws", 1), "status": None},
            "vapid": {"public_key": ""},
            "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
            "statuses": _STATUSES,
            "media_attachments": _media_limits(config),
            "polls": _POLLS,
            "translation": {"enabled": False},
        },
        "registrations": {
            "enabled": registrations != "closed",
            "approval_required": registrations == "approval",
            "message": None,
            "url": None,
        },
        "api_versions": {"mastodon": API_VERSION},
        "contact": {"email": "", "account": None},
        "rules": rules(config),
    }


def oauth_metadata(urls: Urls) -> dict[str, Any]:
    """RFC 8414 metadata with exactly Mastodon 4.3's keys (app_registration_endpoint is
    Mastodon's own); no `password` grant: apps never see a member's password."""
    return {
        "issuer": urls.base + "/",
        "authorization_endpoint": urls.base + "/oauth/authorize",
        "token_endpoint": urls.base + "/oauth/token",
        "revocation_endpoint": urls.base + "/oauth/revoke",
        "scopes_supported": list(SUPPORTED),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "service_documentation": "https://docs.joinmastodon.org/",
        "app_registration_endpoint": urls.base + "/api/v1/apps",
    }


def application(app: OAuthApp) -> dict[str, Any]:
    uris = app.redirect_uris.split("\n")
    return {
        "id": str(app.pk),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(),
        "redirect_uri": app.redirect_uris,
        "redirect_uris": uris,
        "vapid_key": "",
    }


def credential_application(app: OAuthApp, client_secret: str) -> dict[str, Any]:
    return {
        **application(app),
        "client_id": app.client_id,
        "client_secret": client_secret,
        "client_secret_expires_at": 0,
    }


def token(access_token: str, scopes: str, created_at: datetime) -> dict[str, Any]:
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "scope": scopes,
        "created_at": int(created_at.timestamp()),
    }


@dataclass(frozen=True)
class AccountFacts:
    followers: int
    following: int
    statuses: int
    last_status_at: datetime | None


def _image(file_name: str | None, default: str, urls: Urls, remote_url: str | None) -> str:
    if file_name:
        return urls.media(file_name)
    return remote_url or urls.base + default


def _fields(actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            "name": link.get("name", ""),
            "value": f'<a href="{escape(link.get("url", ""))}" rel="me nofollow noopener" '
            f'target="_blank">{escape(link.get("url", ""))}</a>',
            "verified_at": None,
        }
        for link in actor.links or []
    ]


def acct(actor: Actor) -> str:
    return actor.username if actor.local else f"{actor.username}@{actor.domain}"


def mention(actor: Actor, urls: Urls) -> dict[str, Any]:
    """Status.mentions[]: someone a status names."""
    return {
        "id": str(actor.pk),
        "username": actor.username,
        "url": actor.url or (urls.profile(actor.username) if actor.local else actor.uri),
        "acct": acct(actor),
    }


def account(actor: Actor, facts: AccountFacts, urls: Urls) -> dict[str, Any]:
    avatar = _image(actor.avatar_file, DEFAULT_AVATAR, urls, actor.icon_url)
    header = _image(actor.header_file, DEFAULT_HEADER, urls, actor.image_url)
    created = actor.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
    document = {
        "id": str(actor.pk),
        "username": actor.username,
        "acct": acct(actor),
        "display_name": actor.display_name or "",
        "locked": actor.manually_approves_followers,
        "bot": actor.actor_type in ("Service", "Application"),
        "discoverable": actor.discoverable,
        "indexable": actor.indexable,
        "group": actor.actor_type == "Group",
        "created_at": timestamp(created),
        "note": actor.summary or "",
        "url": urls.profile(actor.username) if actor.local else (actor.url or actor.uri),
        "uri": actor.uri,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": facts.followers,
        "following_count": facts.following,
        "statuses_count": facts.statuses,
        "last_status_at": facts.last_status_at.date().isoformat() if facts.last_status_at else None,
        "hide_collections": False,
        "emojis": [],
        "fields": _fields(actor),
    }
    if actor.local:
        document["noindex"] = not actor.indexable
        document["roles"] = []
    return document


def credential_account(
    actor: Actor, facts: AccountFacts, urls: Urls, follow_requests: int
) -> dict[str, Any]:
    """The signed-in member's own account, with `source`: what their settings form edits."""
    return {
        **account(actor, facts, urls),
        "source": {
            "privacy": "public",
            "sensitive": False,
            "language": None,
            "note": html_to_text(actor.summary or ""),
            "fields": [
                {"name": link.get("name", ""), "value": link.get("url", ""), "verified_at": None}
                for link in actor.links or []
            ],
            "follow_requests_count": min(follow_requests, 40),
            "hide_collections": False,
            "discoverable": actor.discoverable,
            "indexable": actor.indexable,
        },
        "role": {
            "id": "-99",
            "name": "",
            "permissions": "0",
            "color": "",
            "highlighted": False,
        },
    }


def relationship(
    target: Actor,
    following: str | None,
    followed_by: str | None,
    *,
    notifying: bool = False,
    blocks: BlockState | None = None,
) -> dict[str, Any]:
    """How the viewer and `target` stand: `following` and `followed_by` are follow states
    (accepted, pending) or None; `notifying`, the viewer's bell on them; `blocks`, the
    blocks and mutes between them."""
    blocks = blocks or BlockState(False, False, False, False, False)
    return {
        "id": str(target.pk),
        "following": following == "accepted",
        "showing_reblogs": following == "accepted",
        "notifying": notifying and following is not None,
        "languages": None,
        "followed_by": followed_by == "accepted",
        "blocking": blocks.blocking,
        "blocked_by": blocks.blocked_by,
        "muting": blocks.muting,
        "muting_notifications": blocks.muting_notifications,
        "requested": following == "pending",
        "requested_by": followed_by == "pending",
        "domain_blocking": blocks.domain_blocking,
        "endorsed": False,
        "note": "",
    }
