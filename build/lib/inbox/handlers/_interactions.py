"""Storing a Like or Announce once, by its activity id."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from activitypub.activity import Activity
from cara_fed.store.models import Follow, Interaction, Post
from inbox.context import InboxContext


async def record_interaction(activity: Activity, ctx: InboxContext, *, only_local: bool) -> None:
    object_uri = activity.object_id
    if not object_uri:
        return
    is_local_post = ctx.urls.is_local(object_uri) and await Post.exists(
        uri=object_uri, local=True, deleted_at=None
    )
    if not is_local_post:
        if only_local:
            return
        followed = await Follow.exists(
            followee__uri=activity.actor, follower__local=True, state="accepted"
        )
        if not followed:
            return
    actor = await ctx.resolver.actor(activity.actor)
    try:
        await Interaction.create(
            kind=activity.type, actor=actor, object_uri=object_uri, activity_uri=activity.id
        )
    except IntegrityError:
        pass  # replayed: already recorded
