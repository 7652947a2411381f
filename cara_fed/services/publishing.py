"""Publishing a stored post: when it is ready (held, cloaking), the note it becomes, and
sending it (Create, Update) to followers' servers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from activitypub.activity import build_create, build_update
from cara_fed.convert.to_as import note_document
from cara_fed.services.mentions import handle
from cara_fed.services.post_input import DIRECT
from cara_fed.services.rights import noai_tag
from cara_fed.store.media import shown_media
from cara_fed.store.models import PUBLIC_VISIBILITIES, SHOWN, Actor, MediaAttachment, Post
from cara_fed.store.notifications import notify, notify_boosters, notify_subscribers
from federation.outbox import emit, follower_inboxes, inbox_for

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def publish_if_ready(instance: Instance, post: Post, *, checked: bool = False) -> bool:
    """Called, inside a transaction, when one of the post's images has been cloaked: the last
    one publishes the post, unless moderation still holds it or its artist checks the cloak
    first (then their Publish button calls this `checked`). Write first, then read, so
    that of this and a concurrent approval, the one that commits second sends the post."""
    if await MediaAttachment.filter(post=post, cloak_state="pending").exists():
        return False
    post = await Post.get(id=post.pk).prefetch_related("author")
    if post.cloak_pending and post.author.cloak_review and not checked:
        return False  # the artist looks at the cloak first (services/recloak.py publishes)
    # Dated when it became public, as Mastodon dates a scheduled post: followers should not
    # find it buried under what arrived while it was being cloaked.
    now = instance.clock.now()
    # An imported work keeps the date it first appeared (cara_fed/services/imports.py).
    dated = {} if post.imported else {"published": now}
    if not await Post.filter(id=post.pk, cloak_pending=True).update(cloak_pending=False, **dated):
        # Already public: an image added by an edit, or a new cloak, is ready, and followers'
        # copies get it, dated as an edit (Mastodon applies an Update only if it is newer).
        post.updated = now
        await post.save(update_fields=["updated"])
        await send_update(instance, post.author, post)
        return False
    post = await Post.get(id=post.pk).prefetch_related("author")
    if post.held or post.deleted_at is not None:
        return False
    await federate_post(instance, post, post.author, await shown_media(post))
    return True


async def named_in(post: Post) -> list[Actor]:
    """The people a local post names (its recipients beside the audience collections)."""
    return await Actor.filter(uri__in=post.recipients or []) if post.recipients else []


def mention_tags(named: list[Actor]) -> tuple[tuple[str, str], ...]:
    """(actor id, "@name@server") of each person a post names, for its Mention tags."""
    return tuple((a.uri, handle(a)) for a in named)


def federated_note(
    instance: Instance,
    post: Post,
    author: Actor,
    media: list[MediaAttachment],
    named: list[Actor],
) -> dict:
    """The Note as it travels inside our activities (no @context of its own)."""
    return note_document(
        post,
        author,
        media,
        instance.urls,
        with_context=False,
        x_robots_tag=noai_tag(instance),
        mentions=mention_tags(named),
    )


async def federate_post(
    instance: Instance, post: Post, author: Actor, media: list[MediaAttachment]
) -> None:
    """Send the Create of a published post to its audience, and tell the members it names."""
    named = await named_in(post)
    note = federated_note(instance, post, author, media, named)
    create = build_create(f"{post.uri}/activity", note, post.published)
    if post.imported:
        # Back catalogue: in the outbox, dated as it first appeared, for whoever reads the
        # artist's profile; pushed to no one, since Mastodon puts a pushed post at the top of
        # every follower's home whatever its date, and 200 of them would bury the rest.
        public = post.visibility in PUBLIC_VISIBILITIES
        await emit(author, create, [], instance.clock, public=public, post=post)
        return
    await _to_followers(instance, author, post, create, named)
    for member in named:
        await notify(member, "mention", author, post.uri)
    await notify_subscribers(author, post)


def is_shown(post: Post) -> bool:
    return all(getattr(post, k) == v for k, v in SHOWN.items())


async def send_update(instance: Instance, author: Actor, post: Post) -> None:
    """Send the work as it now is (Update(Note), as Mastodon sends an edit) to the followers'
    servers, if it is out there at all; inside the caller's transaction."""
    if not is_shown(post):
        return
    named = await named_in(post)
    note = federated_note(instance, post, author, await shown_media(post), named)
    body = build_update(instance.urls.new_activity(), author.uri, note, note["to"], note["cc"])
    await _to_followers(instance, author, post, body, named)
    await notify_boosters(author, post)


async def audience_inboxes(author: Actor, post: Post, named: list[Actor]) -> list[str]:
    """Where a post, its edits and its deletion go: the author's followers' servers (not for
    a direct message) and the servers of the people it names (`named`, from named_in)."""
    inboxes = [] if post.visibility == DIRECT else await follower_inboxes(author)
    return inboxes + [inbox_for(a, shared=True) for a in named if not a.local]


async def _to_followers(
    instance: Instance,
    author: Actor,
    post: Post,
    activity,
    named: list[Actor],
) -> None:
    """The post's Create or an Update of it, linked to the post: its id serves the post as
    it is now (cara_fed/services/served_documents.py)."""
    await emit(
        author,
        activity,
        await audience_inboxes(author, post, named),
        instance.clock,
        public=post.visibility in PUBLIC_VISIBILITIES,
        post=post,
    )
