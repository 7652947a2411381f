"""The tables of an artist's imports: one row per import (its archive, how far it got, what it
said about each post), and one per imported work waiting in the artist's drafts for alt text
before it is published.

A draft is unique per artist by its key (what identifies the post in its archive: an
Instagram post's first file and date, a Mastodon status's id, an image's content hash), so an
import resumed after a restart, or the same archive imported twice, never makes the same work
twice."""

from __future__ import annotations

from tortoise import fields

from cara_fed.store.base_model import Model


class ImportJob(Model):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="imports", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)  # instagram | mastodon | folder
    # The archive (a ZIP or a folder) as the import reads it: a copy under data_dir/imports
    # for an upload from the web, the artist's own path from the CLI.
    source = fields.CharField(max_length=4096)
    state = fields.CharField(max_length=16, default="queued")  # queued|running|done|failed
    total = fields.IntField(default=0)  # posts found in the archive
    done = fields.IntField(default=0)  # posts gone through, in the archive's order
    # One entry per post that did not become a draft: {"post": ..., "reason": ...}.
    report = fields.JSONField(default=list)
    error = fields.TextField(null=True)
    lease_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_jobs"


class ImportDraft(Model):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="import_drafts", on_delete=fields.CASCADE
    )
    job: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.ImportJob", related_name="drafts", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=512)
    title = fields.CharField(max_length=200, default="")
    description = fields.TextField(default="")
    summary = fields.TextField(default="")  # a content warning, shown before the images
    tags = fields.JSONField(default=list)
    made_at = fields.DatetimeField()  # the post's original date: the work keeps it
    source_url = fields.CharField(max_length=2048, null=True)
    album = fields.CharField(max_length=200, null=True)
    # The further albums it goes in when published (an archive made by cara-fed).
    more_albums = fields.JSONField(default=list)
    # Pinned on the account the archive came from (a cara-fed export says so): pinned again.
    pinned = fields.BooleanField(default=False)
    # Each image: {"file": private media name, "sha256", "media_type", "width", "height",
    # "alt", "verdict", "evidence"}, screened when imported.
    images = fields.JSONField(default=list)
    state = fields.CharField(max_length=16, default="draft")  # draft | published
    post: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Post", related_name="import_draft", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "import_drafts"
        unique_together = (("owner", "key"),)
