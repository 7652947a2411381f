"""An artist's albums: making, editing and deleting them, and arranging their works."""

from __future__ import annotations

from cara_fed.errors import UserError
from cara_fed.services.post_input import check_title
from cara_fed.store.albums import append_to_album, move_item, renumber
from cara_fed.store.models import Actor, Album, AlbumItem, Post

MAX_ALBUMS = 100
MAX_DESCRIPTION = 2000


class AlbumError(UserError):
    pass


async def own_album(owner: Actor, album_id: int) -> Album:
    album = await Album.get_or_none(id=album_id, owner=owner)
    if album is None:
        raise AlbumError(f"{owner.username} has no album {album_id}")
    return album


def _checked(title: str, description: str) -> tuple[str, str]:
    title = check_title(title)
    if not title:
        raise AlbumError("an album needs a title")
    if len(description) > MAX_DESCRIPTION:
        raise AlbumError(f"the description is longer than {MAX_DESCRIPTION} characters")
    return title, description.strip()


async def create_album(owner: Actor, title: str, description: str = "") -> Album:
    title, description = _checked(title, description)
    if await Album.filter(owner=owner).count() >= MAX_ALBUMS:
        raise AlbumError(f"an artist can have at most {MAX_ALBUMS} albums")
    return await Album.create(owner=owner, title=title, description=description)


async def edit_album(album: Album, title: str, description: str) -> Album:
    album.title, album.description = _checked(title, description)
    await album.save()
    return album


async def add_work(album: Album, post: Post) -> AlbumItem:
    if post.author_id != album.owner_id or post.deleted_at is not None:  # type: ignore[attr-defined]
        raise AlbumError("only your own works can go in your albums")
    return await append_to_album(album, post)


async def remove_work(album: Album, post_id: int) -> None:
    await AlbumItem.filter(album=album, post_id=post_id).delete()
    await renumber(album)


async def move_work(album: Album, post_id: int, offset: int) -> None:
    if not await move_item(album, post_id, offset):
        raise AlbumError(f"work {post_id} is not in this album")
