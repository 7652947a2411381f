"""Makes a committed database dump of a past release, with rows in it, for
tests/cara_fed/test_migrations.py. Run it with the release's own code first on the path:

    git archive <commit> | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release .venv/bin/python tests/cara_fed/releases/make_dump.py sqlite OUT.sql
    PYTHONPATH=/tmp/release .venv/bin/python tests/cara_fed/releases/make_dump.py postgres OUT.sql

The database is made by that release's start-up (`open_database(create_schema=True)`), so the
schema is exactly what an instance of that release has; the rows touch every table that
release's models have, through its models. PostgreSQL dumps come from pg_dump (lines for psql
alone, starting with a backslash, left out)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def fill(models) -> None:
    m = models
    alice = await m.Actor.create(
        uri="https://art.example/users/alice",
        local=True,
        username="alice",
        domain="art.example",
        inbox="https://art.example/users/alice/inbox",
        key_id="https://art.example/users/alice#main-key",
        public_key_pem="PEM-A",
        private_key_pem="PRIVATE-A",
        password_hash="scrypt$x",
        display_name="Alice",
        summary="<p>ink; paper</p>",
    )
    bob = await m.Actor.create(
        uri="https://masto.example/users/bob",
        username="bob",
        domain="masto.example",
        inbox="https://masto.example/users/bob/inbox",
        shared_inbox="https://masto.example/inbox",
        key_id="https://masto.example/users/bob#main-key",
        public_key_pem="PEM-B",
    )
    post = await m.Post.create(
        uri="https://art.example/posts/1",
        author=alice,
        local=True,
        content="<p>héllo; it's “quoted”</p>",
        published=NOW,
    )
    reply = await m.Post.create(
        uri="https://masto.example/statuses/9",
        author=bob,
        local=False,
        content="<p>lovely</p>",
        published=NOW + timedelta(minutes=5),
        in_reply_to=post.uri,
    )
    media = await m.MediaAttachment.create(
        post=post,
        media_type="image/jpeg",
        file_name="local/" + "a" * 64 + ".jpg",
        width=640,
        height=480,
        description="ink study",
        blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        position=0,
    )
    await m.Follow.create(
        follower=bob, followee=alice, activity_uri="https://masto.example/f/1", state="accepted"
    )
    await m.Interaction.create(
        kind="like", actor=bob, object_uri=post.uri, activity_uri="https://masto.example/l/1"
    )
    outbound = await m.OutboundActivity.create(
        uri="https://art.example/activities/1",
        actor=alice,
        kind="Create",
        body={"type": "Create", "object": post.uri},
        public=True,
        post=post,
    )
    await m.Delivery.create(
        activity=outbound,
        inbox="https://masto.example/inbox",
        domain="masto.example",
        next_attempt_at=NOW,
        state="pending",
    )
    await m.InboundActivity.create(
        uri="https://masto.example/a/1",
        kind="Create",
        actor_uri=bob.uri,
        body={"type": "Create", "object": reply.uri},
        next_attempt_at=NOW,
        state="done",
    )
    await m.WebSession.create(
        token_hash="c" * 64, actor=alice, csrf_token="d" * 32, expires_at=NOW + timedelta(days=30)
    )
    await m.DomainBlock.create(domain="spam.example", reason="spam")
    await m.DomainHealth.create(domain="slow.example", consecutive_failures=2)
    if hasattr(m, "Album"):
        album = await m.Album.create(owner=alice, title="Sketches")
        await m.AlbumItem.create(album=album, post=post, position=0)
    if hasattr(m, "CloakJob"):
        await m.CloakJob.create(attachment=media, next_attempt_at=NOW, state="done")
    if hasattr(m, "ModerationRecord"):
        await m.ModerationRecord.create(
            origin="remote",
            state="refused",
            actor_uri=bob.uri,
            domain="masto.example",
            activity_uri="https://masto.example/a/2",
            evidence=[{"signal": "c2pa"}],
        )


async def filled(config) -> None:
    from cara_fed.store import models
    from cara_fed.store.db import close_database, open_database

    await open_database(config, create_schema=True)
    try:
        await fill(models)
    finally:
        await close_database()


def make(kind: str, out: Path) -> None:
    from cara_fed.config import load_config

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests import postgres

    root = Path(tempfile.mkdtemp())
    url = postgres.create_database() if kind == "postgres" else ""
    (root / "instance.toml").write_text(
        '[instance]\nurl = "https://art.example"\n'
        + (f'[database]\nurl = "{url}"\n' if url else "")
    )
    config = load_config(root / "instance.toml")
    asyncio.run(filled(config))
    if kind == "sqlite":
        import sqlite3

        connection = sqlite3.connect(config.database_path)
        out.write_text("\n".join(connection.iterdump()) + "\n")
        connection.close()
        return
    try:
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        postgres.drop_database(url)
    lines = [line for line in dump.splitlines() if not line.startswith("\\")]
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    make(sys.argv[1], Path(sys.argv[2]))
