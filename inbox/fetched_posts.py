"""A remote post we were pointed at rather than sent: the object of a boost by an account
followed here, or the address someone searched for. It is fetched (signed, through the
guarded client), screened and stored exactly as a Create's post would be, so a boost in a
timeline shows a post this server has judged, never one it has not."""

from __future__ import annotations

import logging
from urllib.parse import urldefrag

from activitypub.errors import InvalidObject
from activitypub.note import parse_note
from activitypub.values import id_of, origin
from federation.resolver import ResolveError
from inbox import storage
from inbox.context import InboxContext
from inbox.stored_notes import store_note

log = logging.getLogger(__name__)


async def fetch_post(address: str, ctx: InboxContext) -> storage.Post | None:
    """The post at `address` (its id, or a page address that answers with it), stored here
    after screening; None when it was deleted here or screening refused it. Raises
    ResolveError when there is no post there that its own server vouches for."""
    address = urldefrag(address).url
    known = await storage.post_by_uri(address)
    if known is None:
        document = await ctx.resolver.fetch_json(address)
        note_id = id_of(document)
        if note_id != address:
            # A page address (Mastodon's /@name/123) answers with the post, whose id is
            # elsewhere on the same server: read it again from its id, as Mastodon does.
            if not note_id or origin(note_id) != origin(address):
                raise ResolveError(f"{address} answered with an object of another server")
            known = await storage.post_by_uri(note_id)
            if known is None:
                document = await ctx.resolver.fetch_object(note_id)
    if known is not None:
        return known if known.deleted_at is None else None
    try:
        note = parse_note(document)
    except InvalidObject as exc:
        raise ResolveError(f"{address} is not a post: {exc}") from None
    if origin(note.attributed_to) != origin(note.id):
        raise ResolveError(f"{note.id} names an author on another server")
    author = await ctx.resolver.actor(note.attributed_to)
    post = await store_note(note, author, note.id, ctx)
    log.info("fetched %s: %s", note.id, "stored" if post else "refused")
    return post
