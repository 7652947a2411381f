"""A status edited from an app (PUT /api/v1/statuses/:id) becomes the same edit of the work
the web's edit page makes (works.edit_work: the text, tags, content warning and the images'
descriptions, sent as an Update), plus the images' focus. The images themselves, and the
title, are changed on the web: an app edits only what it shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cara_fed.services.api_uploads import parse_focus
from cara_fed.services.post_input import PostError, parse_tags
from cara_fed.services.post_text import html_to_text
from cara_fed.services.works import WorkChange, edit_work
from cara_fed.store.models import Actor, MediaAttachment, Post

if TYPE_CHECKING:
    from cara_fed.instance import Instance


async def edit_status(
    instance: Instance, author: Actor, post: Post, params: dict[str, Any], hashtags: list[str]
) -> Post:
    if not post.local or post.author_id != author.pk:  # type: ignore[attr-defined]
        raise PostError("only your own works can be edited")
    media = await MediaAttachment.filter(post=post).order_by("position")
    by_id = {str(m.pk): m for m in media}
    named = [str(i) for i in params.get("media_ids") or []]
    if named and named != [str(m.pk) for m in media[: len(named)]]:
        raise PostError("a work's images are added, removed and reordered on the web")
    attributes = params.get("media_attributes") or []
    if not isinstance(attributes, list):
        raise PostError("media_attributes must be a list")
    alts = {m.pk: m.description or "" for m in media}
    for attribute in attributes:
        target = by_id.get(str(attribute.get("id"))) if isinstance(attribute, dict) else None
        if target is None:
            raise PostError(f"this work has no image {attribute!r}")
        if "description" in attribute:
            alts[target.pk] = str(attribute["description"] or "")
        if "focus" in attribute:
            target.focal_x, target.focal_y = parse_focus(str(attribute["focus"]))
            await target.save(update_fields=["focal_x", "focal_y"])
    text = str(
        params.get("status") if params.get("status") is not None else html_to_text(post.content)
    )
    sensitive = params.get("sensitive")
    change = WorkChange(
        title=post.title,
        description=text,
        tags=parse_tags(" ".join(hashtags)) if params.get("status") is not None else post.tags,
        content_warning=str(params.get("spoiler_text") or ""),
        sensitive=sensitive in (True, "true", "1") if sensitive is not None else post.sensitive,
        alts=[alts[m.pk] for m in media],
    )
    return await edit_work(instance, author, post, change)
