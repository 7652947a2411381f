from __future__ import annotations

import pytest

from cara_fed.config import load_config
from cara_fed.services import moderation
from cara_fed.store import moderation as store
from cara_fed.store.db import close_database, open_database


@pytest.fixture
async def db(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\nurl = "https://art.example"\n')
    await open_database(load_config(tmp_path / "i.toml"), create_schema=True)
    yield
    await close_database()


async def test_an_account_or_its_domain_can_be_listed(db):
    actor = "https://gen.example/users/bot"
    assert await store.listed_as(actor) is None
    await moderation.add_source("domain", "gen.example")
    assert await store.listed_as(actor) == "domain"
    await moderation.add_source("account", actor)
    assert await store.listed_as(actor) == "account"
    assert await store.listed_as("https://other.example/users/a") is None


async def test_bad_sources_are_refused(db):
    with pytest.raises(moderation.ModerationError, match="actor URL"):
        await moderation.add_source("account", "bot@gen.example")
    with pytest.raises(moderation.ModerationError, match="not a domain"):
        await moderation.add_source("domain", "gen.example/path")


async def test_one_record_per_activity(db):
    first = await store.record(
        state="refused",
        origin="remote",
        actor_uri="https://a.example/u",
        evidence=[],
        hashes=["h"],
        reason="r",
        activity_uri="https://a.example/1",
    )
    again = await store.record(
        state="refused",
        origin="remote",
        actor_uri="https://a.example/u",
        evidence=[],
        hashes=["h"],
        reason="r",
        activity_uri="https://a.example/1",
    )
    assert first.id == again.id
