"""Time-ordered ids (cara_fed/store/ids.py) on a real database: an id drawn for a moment that
another row of the same millisecond already holds is drawn again, so posts published in the
same second (Mastodon's `published` has whole seconds) do not collide and wait a retry."""

from __future__ import annotations

from datetime import UTC, datetime

from cara_fed.store import ids
from cara_fed.store.ids import free_id_at, post_id_at
from cara_fed.store.models import Actor, Post

MOMENT = datetime(2026, 12, 6, 15, 0, 0, tzinfo=UTC)


async def test_a_taken_id_is_drawn_again(database, monkeypatch):
    author = await Actor.create(
        uri="https://art.example/users/a", username="a", domain="art.example",
        inbox="https://art.example/users/a/inbox", key_id="k", public_key_pem="x",
    )  # fmt: skip
    draws = iter([5, 5, 7])
    monkeypatch.setattr(ids.secrets, "randbits", lambda bits: next(draws))
    taken = post_id_at(MOMENT)  # draws 5
    await Post.create(id=taken, uri="https://art.example/p/1", author=author, published=MOMENT)
    chosen = await free_id_at(Post, MOMENT)  # draws 5 (taken), then 7
    assert chosen != taken and chosen >> 16 == taken >> 16 and chosen & 0xFFFF == 7


async def test_a_thousand_posts_of_one_second_get_a_thousand_ids(database):
    author = await Actor.create(
        uri="https://art.example/users/b", username="b", domain="art.example",
        inbox="https://art.example/users/b/inbox", key_id="k2", public_key_pem="x",
    )  # fmt: skip
    for n in range(1000):
        await Post.create(
            id=await free_id_at(Post, MOMENT), uri=f"https://art.example/p/{n}",
            author=author, published=MOMENT,
        )  # fmt: skip
    assert await Post.filter(author=author).count() == 1000
