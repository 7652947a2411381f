"""The tables behind a member's account beyond their actor: the address mail reaches them at,
the password-reset links sent there, the mail waiting to be sent, and two-factor sign-in.

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
    # A sign-up confirming its address ([email] confirm_signups): the mailed link's token as
    # its digest, and when it was sent (the link works for CONFIRM_LIFETIME); both cleared,
    # and confirmed_at set, when the link is followed. Sign-in waits for it.
    confirm_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    confirm_sent_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)

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


class TwoFactor(Model):
    """A member's authenticator app (TOTP, RFC 6238) and recovery codes. Pending from set-up
    until the first code confirms the app scanned the secret; only then is it asked at
    sign-in. The secret is kept as it must be to check codes (as GoToSocial keeps it; Mastodon
    encrypts it with a key beside the database, which protects a copy of the database alone);
    recovery codes are kept as SHA-256 digests and each works once."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.OneToOneRelation = fields.OneToOneField(
        "models.Actor", related_name="two_factor", on_delete=fields.CASCADE
    )
    secret = fields.CharField(max_length=64)
    enabled_at = fields.DatetimeField(null=True)
    recovery_codes = fields.JSONField(default=list)
    # The last time step whose code signed in: a code seen once is refused after (Mastodon's
    # consumed_timestep), so one overheard cannot be replayed within its 30 seconds.
    last_step = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "two_factors"


class SignInChallenge(Model):
    """Between a right password and the second factor: the browser holds a random token in a
    cookie (kept here as its digest), good for five minutes, naming who is signing in and
    where they were going."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    actor: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="sign_in_challenges", on_delete=fields.CASCADE
    )
    next = fields.CharField(max_length=2048)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "sign_in_challenges"


class ExportJob(Model):
    """A member's archive of their account (services/exports.py), built by a worker: where it
    got to, and the ZIP under data_dir/exports once done. Private originals are in it only if
    the member asked."""

    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="exports", on_delete=fields.CASCADE
    )
    with_originals = fields.BooleanField(default=False)
    state = fields.CharField(max_length=16, default="queued")  # queued|running|done|failed
    total = fields.IntField(default=0)  # works to write
    done = fields.IntField(default=0)
    file = fields.CharField(max_length=4096, null=True)
    size = fields.BigIntField(null=True)
    error = fields.TextField(null=True)
    lease_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "export_jobs"
