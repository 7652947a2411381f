import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0006_imports")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AccountEmail",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "actor",
                    fields.OneToOneField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="email_address",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("address", fields.CharField(unique=True, max_length=320)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("confirm_token_hash", fields.CharField(null=True, unique=True, max_length=64)),
                (
                    "confirm_sent_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "account_emails", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ExportJob",
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
                        related_name="exports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("with_originals", fields.BooleanField(default=False)),
                ("state", fields.CharField(default="queued", max_length=16)),
                ("total", fields.IntField(default=0)),
                ("done", fields.IntField(default=0)),
                ("file", fields.CharField(null=True, max_length=4096)),
                ("size", fields.BigIntField(null=True)),
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
            options={
                "table": "export_jobs",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A member's archive of their account (services/exports.py), built by a worker: where it",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboundMail",
            fields=[
                ("state", fields.CharField(default="pending", max_length=16)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "lease_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("to_address", fields.CharField(max_length=320)),
                ("subject", fields.CharField(max_length=255)),
                ("text", fields.TextField(unique=False)),
                ("html", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "outbound_mail",
                "app": "models",
                "indexes": [Index(fields=["state", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "One message for the worker to send (services/mail.py), kept until the SMTP server took",
            },
            bases=["QueuedRow"],
        ),
        ops.CreateModel(
            name="PasswordReset",
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
                        related_name="password_resets",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "password_resets", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SignInChallenge",
            fields=[
                (
                    "token_hash",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sign_in_challenges",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("next", fields.CharField(max_length=2048)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "sign_in_challenges",
                "app": "models",
                "pk_attr": "token_hash",
                "table_description": "Between a right password and the second factor: the browser holds a random token in a",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TwoFactor",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "actor",
                    fields.OneToOneField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="two_factor",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("secret", fields.CharField(max_length=64)),
                ("enabled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "recovery_codes",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("last_step", fields.BigIntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "two_factors",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A member's authenticator app (TOTP, RFC 6238) and recovery codes. Pending from set-up",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Actor",
            name="deleted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Actor",
            name="suspended_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ImportDraft",
            name="more_albums",
            field=fields.JSONField(
                default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
        ops.AddField(
            model_name="ImportDraft",
            name="pinned",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="WebSession",
            name="address",
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name="WebSession",
            name="last_seen_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="WebSession",
            name="user_agent",
            field=fields.CharField(null=True, max_length=512),
        ),
    ]
