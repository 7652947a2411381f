"""The inbox front door: everything that must be true before we say 202.

Order matters for cost and for safety: parse (cheap) → refuse servers the admin blocked →
drop Deletes of actors we never knew (no key fetch, Mastodon does the same) → verify the
signature → the signer is the actor → the activity and any embedded object come from the
actor's origin → store the raw activity, unique by id, committed together with whatever else
arrived meanwhile (group commit) → 202. The handler runs later, from the stored row, in the
worker.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from activitypub.activity import Activity, parse_activity
from activitypub.errors import InvalidObject
from activitypub.values import as_list, host_of, id_of, origin
from activitypub.vocab import ACTOR_TYPES
from federation.signatures.cavage import ClockWindow
from federation.signatures.errors import KeyUnavailable, SignatureError
from federation.signatures.verify import IncomingRequest, verify_request
from inbox import storage
from inbox.context import InboxContext
from inbox.handlers import HANDLED_TYPES

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds, for a refusal the sender should retry


@dataclass(frozen=True)
class Accepted:
    status: int
    message: str
    stored: bool = False


def _parse(body: bytes) -> Activity:
    try:
        doc = json.loads(body)
    except RecursionError:
        raise Refused(400, "the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "the body is not valid JSON") from None
    try:
        return parse_activity(doc)
    except InvalidObject as exc:
        raise Refused(400, f"not a valid activity: {exc}") from None


def check_origin(activity: Activity, ctx: InboxContext) -> None:
    """Invariant 3: id host, actor host and (already checked) signing key host agree."""
    if ctx.urls.is_local(activity.actor):
        raise Refused(403, "a remote server cannot act as a local actor")
    actor_origin = origin(activity.actor)
    if origin(activity.id) != actor_origin:
        raise Refused(403, "the activity id is not on the actor's server")
    embedded = activity.embedded_object
    if activity.type in ("Create", "Update") and embedded is not None:
        object_id = id_of(embedded)
        if not object_id or origin(object_id) != actor_origin:
            raise Refused(403, "the object is not on the actor's server")
        types = {t for t in as_list(embedded.get("type")) if isinstance(t, str)}
        attributed = [id_of(a) for a in as_list(embedded.get("attributedTo"))]
        if types & ACTOR_TYPES:
            if object_id != activity.actor:
                raise Refused(403, "an actor can only update itself")
        elif activity.actor not in attributed:
            raise Refused(403, "the object is attributed to someone other than the actor")


async def receive(request: IncomingRequest, ctx: InboxContext, window: ClockWindow) -> Accepted:
    activity = _parse(request.body)
    if await ctx.blocks.blocks(activity.actor):
        raise Refused(403, f"{host_of(activity.actor)} is blocked by this server")
    over = await ctx.limits.check(activity.actor) if ctx.limits is not None else None
    if over is not None:
        raise Refused(
            429, f"{over.message}; nothing was stored, send it again later", over.retry_after
        )

    if activity.type == "Delete" and activity.object_id == activity.actor:
        if not await storage.actor_known(activity.actor):
            return Accepted(202, "ignored: Delete of an actor we never knew")

    try:
        holder = await verify_request(request, ctx.resolver.key_holder, window)
    except KeyUnavailable as exc:
        raise Refused(503, f"{exc}; try again later", 60) from None
    except SignatureError as exc:
        raise Refused(401, f"signature rejected: {exc}") from None
    if holder.owner != activity.actor:
        raise Refused(
            403, f"signed by {holder.owner}, but the activity's actor is {activity.actor}"
        )
    check_origin(activity, ctx)

    if activity.type not in HANDLED_TYPES:
        log.info("ignoring %s activity %s from %s", activity.type, activity.id, activity.actor)
        return Accepted(202, f"ignored: {activity.type} is not handled")
    row = storage.InboundRow(
        uri=activity.id,
        kind=activity.type,
        actor_uri=activity.actor,
        body=activity.raw,
        next_attempt_at=ctx.clock.now(),
    )
    if not await ctx.writer.store(row):
        return Accepted(202, "already received")
    if ctx.limits is not None:
        ctx.limits.stored(activity.actor)
    return Accepted(202, "accepted", stored=True)
