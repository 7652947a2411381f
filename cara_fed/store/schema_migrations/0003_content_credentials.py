import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_rate_limits_and_idempotency_keys")]

    initial = False

    operations = [
        ops.CreateModel(
            name="TrustedCredentials",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("domain", fields.CharField(db_index=True, max_length=255)),
                ("ca_pem", fields.TextField(unique=False)),
                ("sha256", fields.CharField(max_length=95)),
                ("source", fields.CharField(default="admin", max_length=16)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "trusted_credentials",
                "app": "models",
                "unique_together": (("domain", "sha256"),),
                "pk_attr": "id",
                "table_description": "A peer instance's Content Credentials CA that this instance trusts for the works of",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Actor",
            name="made_as",
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name="MediaAttachment",
            name="credentials",
            field=fields.JSONField(
                null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
        ops.AddField(
            model_name="Post",
            name="made_as",
            field=fields.CharField(null=True, max_length=16),
        ),
    ]
