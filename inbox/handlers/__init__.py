"""One handler per activity type, each `async def handle(activity, ctx)`, like Mastodon's
app/lib/activitypub/activity/. Handlers are idempotent: a replay changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from activitypub.activity import Activity
from inbox.context import InboxContext
from inbox.handlers import (
    accept,
    announce,
    block,
    create,
    delete,
    flag,
    follow,
    like,
    move,
    reject,
    undo,
    update,
)

Handler = Callable[[Activity, InboxContext], Awaitable[None]]

HANDLERS: dict[str, Handler] = {
    "Follow": follow.handle,
    "Undo": undo.handle,
    "Accept": accept.handle,
    "Reject": reject.handle,
    "Create": create.handle,
    "Update": update.handle,
    "Delete": delete.handle,
    "Like": like.handle,
    "Announce": announce.handle,
    "Block": block.handle,
    "Flag": flag.handle,
    "Move": move.handle,
}
HANDLED_TYPES = frozenset(HANDLERS)
