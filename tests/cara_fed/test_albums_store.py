"""Album order kept as positions 0..n-1 through appends, moves and removals (a real SQLite
file, no server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cara_fed.services import albums
from cara_fed.store.models import Actor, AlbumItem, Post


async def _setup(count: int):
    owner = await Actor.create(
        uri="https://art.example/users/a",
        local=True,
        username="a",
        domain="art.example",
        inbox="https://art.example/users/a/inbox",
        key_id="k",
        public_key_pem="pem",
    )
    album = await albums.create_album(owner, "  Sketch   book ", "pages")
    posts = []
    for n in range(count):
        post = await Post.create(
            uri=f"https://art.example/p/{n}",
            author=owner,
            local=True,
            published=datetime(2026, 1, 1, tzinfo=UTC),
        )
        await albums.add_work(album, post)
        posts.append(post.pk)
    return album, posts


async def order(album) -> list[tuple[int, int]]:
    return [
        (i.position, i.post_id) for i in await AlbumItem.filter(album=album).order_by("position")
    ]


async def test_moves_and_removals_keep_a_gapless_order(database):
    album, (p0, p1, p2, p3) = await _setup(4)
    assert album.title == "Sketch book"
    assert await order(album) == [(0, p0), (1, p1), (2, p2), (3, p3)]
    await albums.move_work(album, p3, -1)
    assert [p for _, p in await order(album)] == [p0, p1, p3, p2]
    await albums.move_work(album, p0, -1)  # already first: stays
    await albums.move_work(album, p2, 1)  # already last: stays
    assert [p for _, p in await order(album)] == [p0, p1, p3, p2]
    await albums.remove_work(album, p1)
    assert await order(album) == [(0, p0), (1, p3), (2, p2)]
    again = await albums.add_work(album, await Post.get(id=p0))  # already in: not duplicated
    assert again.position == 0 and len(await order(album)) == 3
    await albums.add_work(album, await Post.get(id=p1))
    assert (await order(album))[-1] == (3, p1)


async def test_moving_a_work_that_is_not_in_the_album_says_so(database):
    album, _ = await _setup(1)
    with pytest.raises(albums.AlbumError, match="not in this album"):
        await albums.move_work(album, 999, 1)
