"""The client API's entities as Mastodon 4.3 documents them (docs.joinmastodon.org/entities,
checked against the serializers of mastodon v4.3.0): each required field with its JSON type,
`None` in the type list where Mastodon allows null. `check` names every field that is missing
or of the wrong type, so a test says what an app would trip on."""

from __future__ import annotations

from typing import Any

STR, INT, BOOL, LIST, DICT, NULL = str, int, bool, list, dict, type(None)

ACCOUNT = {
    "id": (STR,),
    "username": (STR,),
    "acct": (STR,),
    "url": (STR,),
    "uri": (STR,),
    "display_name": (STR,),
    "note": (STR,),
    "avatar": (STR,),
    "avatar_static": (STR,),
    "header": (STR,),
    "header_static": (STR,),
    "locked": (BOOL,),
    "fields": (LIST,),
    "emojis": (LIST,),
    "bot": (BOOL,),
    "group": (BOOL,),
    "discoverable": (BOOL, NULL),
    "created_at": (STR,),
    "last_status_at": (STR, NULL),
    "statuses_count": (INT,),
    "followers_count": (INT,),
    "following_count": (INT,),
}
CREDENTIAL_ACCOUNT = {**ACCOUNT, "source": (DICT,), "role": (DICT,)}
SOURCE = {
    "note": (STR,),
    "fields": (LIST,),
    "privacy": (STR,),
    "sensitive": (BOOL,),
    "language": (STR, NULL),
    "follow_requests_count": (INT,),
}
MEDIA = {
    "id": (STR,),
    "type": (STR,),
    "url": (STR, NULL),
    "preview_url": (STR, NULL),
    "remote_url": (STR, NULL),
    "meta": (DICT,),
    "description": (STR, NULL),
    "blurhash": (STR, NULL),
}
STATUS = {
    "id": (STR,),
    "uri": (STR,),
    "created_at": (STR,),
    "account": (DICT,),
    "content": (STR,),
    "visibility": (STR,),
    "sensitive": (BOOL,),
    "spoiler_text": (STR,),
    "media_attachments": (LIST,),
    "application": (DICT, NULL),
    "mentions": (LIST,),
    "tags": (LIST,),
    "emojis": (LIST,),
    "reblogs_count": (INT,),
    "favourites_count": (INT,),
    "replies_count": (INT,),
    "url": (STR, NULL),
    "in_reply_to_id": (STR, NULL),
    "in_reply_to_account_id": (STR, NULL),
    "reblog": (DICT, NULL),
    "poll": (DICT, NULL),
    "card": (DICT, NULL),
    "language": (STR, NULL),
    "edited_at": (STR, NULL),
    "favourited": (BOOL,),
    "reblogged": (BOOL,),
    "muted": (BOOL,),
    "bookmarked": (BOOL,),
    "filtered": (LIST,),
}
MENTION = {"id": (STR,), "username": (STR,), "url": (STR,), "acct": (STR,)}
STATUS_SOURCE = {"id": (STR,), "text": (STR,), "spoiler_text": (STR,)}
RELATIONSHIP = {
    "id": (STR,),
    "following": (BOOL,),
    "showing_reblogs": (BOOL,),
    "notifying": (BOOL,),
    "followed_by": (BOOL,),
    "blocking": (BOOL,),
    "blocked_by": (BOOL,),
    "muting": (BOOL,),
    "muting_notifications": (BOOL,),
    "requested": (BOOL,),
    "requested_by": (BOOL,),
    "domain_blocking": (BOOL,),
    "endorsed": (BOOL,),
    "note": (STR,),
}
NOTIFICATION = {"id": (STR,), "type": (STR,), "created_at": (STR,), "account": (DICT,)}
APPLICATION = {"name": (STR,), "website": (STR, NULL), "scopes": (LIST,), "redirect_uris": (LIST,)}
CREDENTIAL_APPLICATION = {**APPLICATION, "id": (STR,), "client_id": (STR,), "client_secret": (STR,)}
TOKEN = {"access_token": (STR,), "token_type": (STR,), "scope": (STR,), "created_at": (INT,)}
INSTANCE_V1 = {
    "uri": (STR,),
    "title": (STR,),
    "short_description": (STR,),
    "description": (STR,),
    "email": (STR,),
    "version": (STR,),
    "urls": (DICT,),
    "stats": (DICT,),
    "thumbnail": (STR, NULL),
    "languages": (LIST,),
    "registrations": (BOOL,),
    "approval_required": (BOOL,),
    "invites_enabled": (BOOL,),
    "configuration": (DICT,),
    "contact_account": (DICT, NULL),
    "rules": (LIST,),
}
INSTANCE_V2 = {
    "domain": (STR,),
    "title": (STR,),
    "version": (STR,),
    "source_url": (STR,),
    "description": (STR,),
    "usage": (DICT,),
    "thumbnail": (DICT,),
    "languages": (LIST,),
    "configuration": (DICT,),
    "registrations": (DICT,),
    "contact": (DICT,),
    "rules": (LIST,),
    "api_versions": (DICT,),
}
RULE = {"id": (STR,), "text": (STR,), "hint": (STR,)}
# Mastodon's times: RFC 3339 with milliseconds and Z.
TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def check(document: Any, shape: dict[str, tuple[type, ...]]) -> list[str]:
    """What is wrong with `document` as an entity of `shape` (empty when nothing is)."""
    if not isinstance(document, dict):
        return [f"not an object: {type(document).__name__}"]
    wrong = []
    for name, types in shape.items():
        if name not in document:
            wrong.append(f"{name} missing")
        elif type(document[name]) not in types:  # bool is not an int here, as in JSON
            wrong.append(f"{name} is {type(document[name]).__name__}, not {types}")
    return wrong
