"""The tables behind a member's account beyond their actor: the address mail reaches them at,
the password-reset links sent there, and the mail waiting to be sent.

Addresses live in a table of their own, not on `actors`: they belong to local members only,
must be unique among them, and SQLite cannot add a unique column to an existing table. Reset
links are kept as SHA-256 digests of their token, as sessions are: a copy of the database
resets no one's password."""

from __future__ import annotations

from tortoise import fields

from cara_fed.store.base_model import Model
from cara_fed.store.models import QUEUE_INDEX, QueuedRow


class AccountEmail(Model):
    id = fields.BigIntField(primary_key=True)
    actor: fields.OneToOneRelation = fields.OneToOneField(
        "models.Actor", related_name="email_address", on_delete=fields.CASCADE
    )
    # Lower-cased: mail systems treat the domain, and in practice the local part, without case.
    address = fields.CharField(max_length=320, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_emails"


class PasswordReset(Model):
    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="password_resets", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_resets"


class OutboundMail(QueuedRow):
    """One message for the worker to send (services/mail.py), kept until the SMTP server took
    it; its body is dropped once sent, so that a reset link lives in the database no longer
    than it must."""

    id = fields.BigIntField(primary_key=True)
    to_address = fields.CharField(max_length=320)
    subject = fields.CharField(max_length=255)
    text = fields.TextField()
    html = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "outbound_mail"
        indexes = (QUEUE_INDEX,)
