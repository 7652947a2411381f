import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0004_safety_tools")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Marker",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "member",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="member_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="markers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("timeline", fields.CharField(max_length=16)),
                ("last_read_id", fields.BigIntField(default=0)),
                ("version", fields.IntField(default=0)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "markers",
                "app": "models",
                "unique_together": (("member", "timeline"),),
                "pk_attr": "id",
                "table_description": "Where a member stopped reading a timeline (Mastodon's markers: `home`,",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Actor",
            name="also_known_as",
            field=fields.JSONField(
                null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
        ops.AddField(
            model_name="Actor",
            name="moved_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Actor",
            name="moved_to",
            field=fields.CharField(null=True, max_length=2048),
        ),
    ]
