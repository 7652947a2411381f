"""Album membership: appending, moving and removing works keeps positions 0..n-1."""

from __future__ import annotations

from cara_fed.store.models import Actor, Album, AlbumItem, Post


async def album_ids(owner: Actor) -> list[int]:
    """The artist's albums, oldest first: the actor document lists them as `streams`."""
    return list(await Album.filter(owner=owner).order_by("id").values_list("id", flat=True))


async def append_to_album(album: Album, post: Post) -> AlbumItem:
    """Put `post` at the end of `album` (where it already is, if it is in it)."""
    existing = await AlbumItem.get_or_none(album=album, post=post)
    if existing:
        return existing
    last = await AlbumItem.filter(album=album).order_by("-position").first()
    position = last.position + 1 if last else 0
    return await AlbumItem.create(album=album, post=post, position=position)


async def renumber(album: Album) -> list[AlbumItem]:
    """Close the gaps a removal leaves: positions 0..n-1 in the current order."""
    items = await AlbumItem.filter(album=album).order_by("position", "id")
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            await item.save(update_fields=["position"])
    return items


async def move_item(album: Album, post_id: int, offset: int) -> bool:
    """Move a work `offset` places (negative: towards the front), clamped to the ends."""
    items = await renumber(album)
    index = next((i for i, item in enumerate(items) if item.post_id == post_id), None)
    if index is None:
        return False
    target = max(0, min(len(items) - 1, index + offset))
    if target == index:
        return True
    moved = items.pop(index)
    items.insert(target, moved)
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            await item.save(update_fields=["position"])
    return True
