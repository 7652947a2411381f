"""The client API's rows: registered apps, one-time authorization codes, access tokens, and
images uploaded before a status. Secrets, codes and tokens are kept only as SHA-256
digests, so that a copy of the database authorises no one (Mastodon keeps tokens in clear;
GoToSocial neither)."""

from __future__ import annotations

from tortoise import fields

from cara_fed.store.base_model import Model
from cara_fed.store.models import Actor, Post


class OAuthApp(Model):
    """An app registered with POST /api/v1/apps (anyone may register one, as on Mastodon)."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=255)
    website = fields.CharField(max_length=2048, null=True)
    # Newline-separated, as the apps send them (and as Doorkeeper stores them).
    redirect_uris = fields.TextField()
    scopes = fields.CharField(max_length=1024)
    client_id = fields.CharField(max_length=64, unique=True)
    client_secret_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "oauth_apps"


class OAuthCode(Model):
    """A code the consent page gave a member's browser; good once, for ten minutes."""

    code_hash = fields.CharField(max_length=64, primary_key=True)
    app: fields.ForeignKeyRelation[OAuthApp] = fields.ForeignKeyField(
        "models.OAuthApp", related_name="codes", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="oauth_codes", on_delete=fields.CASCADE
    )
    redirect_uri = fields.CharField(max_length=2048)
    scopes = fields.CharField(max_length=1024)
    # PKCE (RFC 7636): the S256 challenge the token request's verifier must answer.
    code_challenge = fields.CharField(max_length=128, null=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "oauth_codes"


class OAuthToken(Model):
    """An access token: a member's (authorization code) or the app's own (client
    credentials, `actor` None). Revoking deletes the row."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    app: fields.ForeignKeyRelation[OAuthApp] = fields.ForeignKeyField(
        "models.OAuthApp", related_name="tokens", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="oauth_tokens", on_delete=fields.CASCADE, null=True
    )
    scopes = fields.CharField(max_length=1024)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "oauth_tokens"


class ApiUpload(Model):
    """An image uploaded through the client API (POST /api/v2/media) before it is attached to
    a status. The bytes wait in a private file (never served: no row of `media_attachments`
    names it) while screening runs; refused uploads keep no file. Attached, the row goes."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="api_uploads", on_delete=fields.CASCADE
    )
    file_name = fields.CharField(max_length=255, null=True)
    sha256 = fields.CharField(max_length=64)
    media_type = fields.CharField(max_length=64)
    width = fields.IntField()
    height = fields.IntField()
    description = fields.TextField(default="")
    focus_x = fields.FloatField(default=0.0)
    focus_y = fields.FloatField(default=0.0)
    # screening → accept | review | refuse (what the post's screening would have said)
    state = fields.CharField(max_length=16, default="screening")
    verdict = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "api_uploads"


class Notification(Model):
    """Something a member is told about: a follow or follow request, a favourite or boost of
    their work, a mention. Written when it happens (the inbox's handlers, a member's own
    action here), read by the client API's notifications."""

    id = fields.BigIntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="notifications", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=32)
    account: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="caused_notifications", on_delete=fields.CASCADE
    )
    post_uri = fields.CharField(max_length=2048, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notifications"
        unique_together = (("recipient", "kind", "account", "post_uri"),)


class PostSubscription(Model):
    """Mastodon's bell on a follow (`notify`): the member is told when the account posts."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="subscriptions", on_delete=fields.CASCADE
    )
    account: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="subscribers", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "post_subscriptions"
        unique_together = (("member", "account"),)


class Bookmark(Model):
    """A post a member keeps to find again: theirs alone, never sent anywhere. Its id is
    time-ordered, so the bookmarks list pages by it, newest first, as Mastodon's does."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="bookmarks", on_delete=fields.CASCADE
    )
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="bookmarked_by", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bookmarks"
        unique_together = (("member", "post"),)


class IdempotencyKey(Model):
    """An app's Idempotency-Key and the status it made: the same key from the same member
    within an hour is that status again. A row, not process memory, so a retry that reaches
    another web process is still recognised; the unique pair makes two racing retries one."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=255)
    status_id = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_keys"
        unique_together = (("actor", "key"),)


class Marker(Model):
    """Where a member stopped reading a timeline (Mastodon's markers: `home`,
    `notifications`): the web's unread count and "Mark all read" and the apps' markers API
    share it, so a notification read in an app is read on the web too."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="markers", on_delete=fields.CASCADE
    )
    timeline = fields.CharField(max_length=16)  # home | notifications
    last_read_id = fields.BigIntField(default=0)
    version = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "markers"
        unique_together = (("member", "timeline"),)
