"""Activities: builders for what we send, and the strict envelope reading of what we receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from activitypub.errors import InvalidObject
from activitypub.timefmt import format_time
from activitypub.values import first_type, id_of, require_uri, uris
from activitypub.vocab import CONTEXT, PUBLIC

MAX_NESTING = 32
MAX_FLAG_OBJECTS = 100


def _activity(
    kind: str, activity_id: str, actor: str, obj: Any, *, to: list[str], cc: list[str] | None = None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": activity_id,
        "type": kind,
        "actor": actor,
        "object": obj,
        "to": to,
    }
    if cc:
        doc["cc"] = cc
    return doc


def _strip_context(obj: Any) -> Any:
    if isinstance(obj, dict) and "@context" in obj:
        return {k: v for k, v in obj.items() if k != "@context"}
    return obj


def build_create(activity_id: str, note: dict[str, Any], published: datetime) -> dict[str, Any]:
    doc = _activity(
        "Create",
        activity_id,
        note["attributedTo"],
        _strip_context(note),
        to=note["to"],
        cc=note["cc"],
    )
    doc["published"] = format_time(published)
    return doc


def build_update(
    activity_id: str, actor: str, obj: dict[str, Any], to: list[str], cc: list[str]
) -> dict[str, Any]:
    return _activity("Update", activity_id, actor, _strip_context(obj), to=to, cc=cc)


def build_delete(
    activity_id: str, actor: str, object_id: str, to: list[str], cc: list[str]
) -> dict[str, Any]:
    """Delete with a Tombstone, as Mastodon sends it, so receivers need not refetch."""
    return _activity(
        "Delete", activity_id, actor, {"id": object_id, "type": "Tombstone"}, to=to, cc=cc
    )


def build_delete_actor(actor: str) -> dict[str, Any]:
    """Delete of an account, as Mastodon's DeleteActorSerializer sends it: object and actor
    are the account, the id its URI with #delete, addressed to the public."""
    return _activity("Delete", f"{actor}#delete", actor, actor, to=[PUBLIC])


def build_collection_change(
    kind: str, activity_id: str, actor: str, object_id: str, target: str, to: list[str]
) -> dict[str, Any]:
    """Add or Remove of an object to or from one of the actor's collections (Mastodon sends
    these for pinning and unpinning, with the `featured` collection as the target)."""
    if kind not in ("Add", "Remove"):
        raise ValueError(f"not a collection change: {kind}")
    doc = _activity(kind, activity_id, actor, object_id, to=to)
    doc["target"] = target
    return doc


def build_follow(activity_id: str, actor: str, target: str) -> dict[str, Any]:
    return _activity("Follow", activity_id, actor, target, to=[target])


def build_accept(activity_id: str, actor: str, follow: dict[str, Any]) -> dict[str, Any]:
    """Accept embeds the Follow it answers: Mastodon matches it by id, others by content."""
    return _activity("Accept", activity_id, actor, _strip_context(follow), to=[follow["actor"]])


def build_reject(activity_id: str, actor: str, follow: dict[str, Any]) -> dict[str, Any]:
    return _activity("Reject", activity_id, actor, _strip_context(follow), to=[follow["actor"]])


def build_like(activity_id: str, actor: str, object_uri: str, author: str) -> dict[str, Any]:
    """A favourite, sent to the post's author (Mastodon's shape: object by id, to the author)."""
    return _activity("Like", activity_id, actor, object_uri, to=[author])


def build_announce(
    activity_id: str,
    actor: str,
    object_uri: str,
    author: str,
    followers: str,
    published: datetime,
) -> dict[str, Any]:
    """A public boost: to everyone, copied to the post's author and the booster's followers."""
    doc = _activity("Announce", activity_id, actor, object_uri, to=[PUBLIC], cc=[author, followers])
    doc["published"] = format_time(published)
    return doc


def build_block(activity_id: str, actor: str, target: str) -> dict[str, Any]:
    """A block, told to the blocked account's server as Mastodon tells it (to their own
    inbox, not the shared one), so that it drops the follows both ways."""
    return _activity("Block", activity_id, actor, target, to=[target])


def build_flag(
    activity_id: str, actor: str, account: str, posts: list[str], comment: str
) -> dict[str, Any]:
    """A report sent on to the reported account's server: from the instance actor, never
    the member who reported, with the account first and then the reported posts as
    Mastodon's FlagSerializer writes it."""
    doc = _activity("Flag", activity_id, actor, [account, *posts], to=[account])
    doc["content"] = comment
    return doc


def build_move(activity_id: str, actor: str, target: str, followers: str) -> dict[str, Any]:
    """The account moves to `target` (which lists it in alsoKnownAs): Mastodon's shape, the
    account itself as the object, sent to its followers."""
    doc = _activity("Move", activity_id, actor, actor, to=[followers])
    doc["target"] = target
    return doc


def build_undo(
    activity_id: str, actor: str, undone: dict[str, Any], to: list[str]
) -> dict[str, Any]:
    return _activity("Undo", activity_id, actor, _strip_context(undone), to=to)


@dataclass(frozen=True)
class Activity:
    """The envelope every inbound activity must have; handlers read `object` further."""

    id: str
    type: str
    actor: str
    object: Any
    to: list[str]
    cc: list[str]
    raw: dict[str, Any]

    @property
    def object_id(self) -> str | None:
        return id_of(self.object)

    @property
    def embedded_object(self) -> dict[str, Any] | None:
        return self.object if isinstance(self.object, dict) else None


def _depth(value: Any, limit: int) -> int:
    """Nesting depth, iteratively, stopping past `limit` so hostile input costs nothing."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def parse_activity(doc: Any) -> Activity:
    if not isinstance(doc, dict):
        raise InvalidObject("activity must be a JSON object")
    if _depth(doc, MAX_NESTING) > MAX_NESTING:
        raise InvalidObject(f"activity is nested deeper than {MAX_NESTING} levels")
    obj = doc.get("object")
    if obj is None:
        raise InvalidObject("activity has no object")
    if isinstance(obj, list) and first_type(doc) == "Flag":
        # A report names the account and its posts in one list (Mastodon, GoToSocial).
        if not 0 < len(obj) <= MAX_FLAG_OBJECTS:
            raise InvalidObject(f"a Flag names 1 to {MAX_FLAG_OBJECTS} objects")
        for item in obj:
            if not isinstance(item, str | dict):
                raise InvalidObject("a Flag's objects must be IRIs")
            require_uri(item, "Flag object")
    elif not isinstance(obj, str | dict):
        raise InvalidObject("activity object must be an IRI or an object")
    # Whatever the activity points at is an http(s) IRI (a `javascript:` object of a Like or
    # an Announce would otherwise be stored and linked); an embedded object without an id
    # (some Accepts) is read by its handler.
    for key in ("object", "target"):
        value = doc.get(key)
        if isinstance(value, str) or (isinstance(value, dict) and id_of(value) is not None):
            require_uri(value, f"activity {key}")
    return Activity(
        id=require_uri(doc.get("id"), "activity id"),
        type=first_type(doc),
        actor=require_uri(doc.get("actor"), "actor"),
        object=obj,
        to=uris(doc.get("to"), "to"),
        cc=uris(doc.get("cc"), "cc"),
        raw=doc,
    )
