import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0005_markers_and_moves")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="imports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=16)),
                ("source", fields.CharField(max_length=4096)),
                ("state", fields.CharField(default="queued", max_length=16)),
                ("total", fields.IntField(default=0)),
                ("done", fields.IntField(default=0)),
                (
                    "report",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("error", fields.TextField(null=True, unique=False)),
                (
                    "lease_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "import_jobs", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ImportDraft",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="import_drafts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "job",
                    fields.ForeignKeyField(
                        "models.ImportJob",
                        source_field="job_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="drafts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(max_length=512)),
                ("title", fields.CharField(default="", max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                ("summary", fields.TextField(default="", unique=False)),
                (
                    "tags",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("made_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("source_url", fields.CharField(null=True, max_length=2048)),
                ("album", fields.CharField(null=True, max_length=200)),
                (
                    "images",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("state", fields.CharField(default="draft", max_length=16)),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="import_draft",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "import_drafts",
                "app": "models",
                "unique_together": (("owner", "key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Post",
            name="imported",
            field=fields.BooleanField(null=True, default=False),
        ),
        ops.AddField(
            model_name="Post",
            name="source_url",
            field=fields.CharField(null=True, max_length=2048),
        ),
    ]
