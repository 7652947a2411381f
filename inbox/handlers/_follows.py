"""Finding which of our own Follows a peer's Accept or Reject answers."""

from __future__ import annotations

from activitypub.activity import Activity
from activitypub.values import id_of
from inbox import storage
from inbox.storage import Follow


async def our_follow_answered(activity: Activity) -> Follow | None:
    """Match by the Follow's id, or by (our actor, their actor) when the id is not echoed."""
    if activity.object_id:
        match = await storage.our_follow_of(activity.actor, activity_uri=activity.object_id)
        if match:
            return match
    embedded = activity.embedded_object
    if embedded and embedded.get("type") == "Follow":
        follower = id_of(embedded.get("actor"))
        if follower and id_of(embedded.get("object")) == activity.actor:
            return await storage.our_follow_of(activity.actor, follower_uri=follower)
    return None
