import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0003_content_credentials")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AccountBlock",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "blocker",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="blocker_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="blocks_made",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "target",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="target_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="blocks_received",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("activity_uri", fields.CharField(unique=True, max_length=2048)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "account_blocks",
                "app": "models",
                "unique_together": (("blocker", "target"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AccountMute",
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
                        related_name="mutes_made",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "target",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="target_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mutes_received",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("notifications", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "account_mutes",
                "app": "models",
                "unique_together": (("member", "target"),),
                "pk_attr": "id",
                "table_description": "Hidden from the member's feeds (and, unless they chose otherwise, notifications);",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MemberDomainBlock",
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
                        related_name="domains_blocked",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("domain", fields.CharField(db_index=True, max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "member_domain_blocks",
                "app": "models",
                "unique_together": (("member", "domain"),),
                "pk_attr": "id",
                "table_description": "A whole server blocked by one member (Mastodon's user domain block), not by the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("origin", fields.CharField(max_length=8)),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="reporter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reports_made",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reports_about",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "post_uris",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("comment", fields.TextField(default="", unique=False)),
                ("flag_uri", fields.CharField(null=True, max_length=2048)),
                ("state", fields.CharField(default="open", db_index=True, max_length=16)),
                ("resolution", fields.TextField(default="", unique=False)),
                (
                    "forwarded_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "resolved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "reports",
                "app": "models",
                "unique_together": (("flag_uri", "account"),),
                "pk_attr": "id",
                "table_description": "A report about an account and some of its works, for the admins: from a member here",
            },
            bases=["Model"],
        ),
    ]
