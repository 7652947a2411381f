from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="IdempotencyKey",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="idempotency_keys",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(max_length=255)),
                ("status_id", fields.BigIntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "idempotency_keys",
                "app": "models",
                "unique_together": (("actor", "key"),),
                "pk_attr": "id",
                "table_description": "An app's Idempotency-Key and the status it made: the same key from the same member",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RateEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("bucket", fields.CharField(max_length=16)),
                ("key", fields.CharField(max_length=255)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "rate_events",
                "app": "models",
                "indexes": [Index(fields=["bucket", "key", "at"])],
                "pk_attr": "id",
                "table_description": "One counted attempt (a failed sign-in, a sign-up, a token request, a status) for a rate",
            },
            bases=["Model"],
        ),
    ]
