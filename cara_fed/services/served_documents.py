"""The ActivityStreams documents we serve about a local post are built from the post as it is
now, never from the copy frozen when an activity was sent: a Create's or an Update's id, and
the outbox, carry the current Note (as Mastodon serves the current object), so after an
artist edits or removes text or images no document still shows the old version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cara_fed.convert.to_as import note_document
from cara_fed.services.publishing import mention_tags, named_in
from cara_fed.services.rights import noai_tag
from cara_fed.store.media import shown_media
from cara_fed.store.models import Actor, OutboundActivity, Post

if TYPE_CHECKING:
    from cara_fed.instance import Instance

ABOUT_A_POST = ("Create", "Update")


async def note_now(instance: Instance, post: Post, *, with_context: bool = True) -> dict[str, Any]:
    """The post's Note as it is now (its author must be fetched)."""
    return note_document(
        post,
        post.author,
        await shown_media(post),
        instance.urls,
        with_context=with_context,
        x_robots_tag=noai_tag(instance),
        mentions=mention_tags(await named_in(post)),
    )


async def post_of(activity: OutboundActivity) -> Post | None:
    """The local post a Create or Update is about: linked on the row, or, for Updates stored
    before they were linked, the post its object names."""
    if activity.kind not in ABOUT_A_POST:
        return None
    if activity.post_id is not None:  # type: ignore[attr-defined]
        if isinstance(activity.post, Post):  # prefetched (the outbox)
            return activity.post
        return await Post.get_or_none(id=activity.post_id)  # type: ignore[attr-defined]
    obj = activity.body.get("object")
    uri = obj.get("id") if isinstance(obj, dict) else None
    return await Post.get_or_none(uri=uri, local=True) if isinstance(uri, str) else None


async def activity_now(
    instance: Instance, activity: OutboundActivity, post: Post | None = None
) -> dict[str, Any]:
    """The activity as served: a Create or Update of a post around the post's Note as it is
    now, without the JSON-LD context the Note repeats; any other activity as it was sent.
    `post`: post_of(activity), when the caller has it already."""
    post = post or await post_of(activity)
    if post is None:
        return activity.body
    if not isinstance(post.author, Actor):  # not prefetched with the post
        await post.fetch_related("author")
    return {**activity.body, "object": await note_now(instance, post, with_context=False)}
