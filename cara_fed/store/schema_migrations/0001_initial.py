import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Actor",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("uri", fields.CharField(unique=True, max_length=2048)),
                ("local", fields.BooleanField(default=False, db_index=True)),
                ("actor_type", fields.CharField(default="Person", max_length=32)),
                ("username", fields.CharField(max_length=255)),
                ("domain", fields.CharField(db_index=True, max_length=255)),
                ("display_name", fields.TextField(default="", unique=False)),
                ("summary", fields.TextField(default="", unique=False)),
                ("url", fields.CharField(null=True, max_length=2048)),
                ("inbox", fields.CharField(max_length=2048)),
                ("shared_inbox", fields.CharField(null=True, max_length=2048)),
                ("outbox", fields.CharField(null=True, max_length=2048)),
                ("followers_url", fields.CharField(null=True, max_length=2048)),
                ("following_url", fields.CharField(null=True, max_length=2048)),
                ("featured_url", fields.CharField(null=True, max_length=2048)),
                ("key_id", fields.CharField(db_index=True, max_length=2048)),
                ("public_key_pem", fields.TextField(unique=False)),
                ("private_key_pem", fields.TextField(null=True, unique=False)),
                ("password_hash", fields.TextField(null=True, unique=False)),
                ("manually_approves_followers", fields.BooleanField(default=False)),
                ("discoverable", fields.BooleanField(default=True)),
                ("indexable", fields.BooleanField(default=False)),
                ("cloak_images", fields.BooleanField(null=True)),
                ("cloak_review", fields.BooleanField(default=False)),
                ("require_alt_text", fields.BooleanField(null=True)),
                ("icon_url", fields.CharField(null=True, max_length=2048)),
                ("image_url", fields.CharField(null=True, max_length=2048)),
                ("avatar_file", fields.CharField(null=True, max_length=255)),
                ("avatar_media_type", fields.CharField(null=True, max_length=64)),
                ("header_file", fields.CharField(null=True, max_length=255)),
                ("header_media_type", fields.CharField(null=True, max_length=64)),
                (
                    "links",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "feed_filters",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("approved", fields.BooleanField(default=True)),
                ("signup_reason", fields.TextField(null=True, unique=False)),
                ("admin", fields.BooleanField(default=False)),
                ("fetched_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "actors",
                "app": "models",
                "indexes": [Index(fields=["username", "domain"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Album",
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
                        related_name="albums",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "albums",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An artist's ordered selection of works, served as an OrderedCollection of them. A work",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApiUpload",
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
                        related_name="api_uploads",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("file_name", fields.CharField(null=True, max_length=255)),
                ("sha256", fields.CharField(max_length=64)),
                ("media_type", fields.CharField(max_length=64)),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                ("description", fields.TextField(default="", unique=False)),
                ("focus_x", fields.FloatField(default=0.0)),
                ("focus_y", fields.FloatField(default=0.0)),
                ("state", fields.CharField(default="screening", max_length=16)),
                (
                    "verdict",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "api_uploads",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An image uploaded through the client API (POST /api/v2/media) before it is attached to",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DomainBlock",
            fields=[
                (
                    "domain",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=255),
                ),
                ("reason", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "domain_blocks",
                "app": "models",
                "pk_attr": "domain",
                "table_description": 'A server we do not federate with at all, as Mastodon\'s "suspend": nothing is accepted',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DomainHealth",
            fields=[
                (
                    "domain",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=255),
                ),
                ("consecutive_failures", fields.IntField(default=0)),
                (
                    "unavailable_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("last_error", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "domain_health", "app": "models", "pk_attr": "domain"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Follow",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "follower",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="follower_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="following_rel",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "followee",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="followee_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="followers_rel",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("state", fields.CharField(default="pending", max_length=16)),
                ("activity_uri", fields.CharField(unique=True, max_length=2048)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "follows",
                "app": "models",
                "unique_together": (("follower", "followee"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HashSubscription",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("url", fields.CharField(unique=True, max_length=2048)),
                ("action", fields.CharField(max_length=8)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "next_sync_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("synced_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.TextField(null=True, unique=False)),
                ("entries", fields.IntField(default=0)),
                ("skipped", fields.IntField(default=0)),
            ],
            options={
                "table": "hash_subscriptions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Another instance's hash list this admin trusts, and what a match does here.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="InboundActivity",
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
                ("uri", fields.CharField(unique=True, max_length=2048)),
                ("kind", fields.CharField(max_length=32)),
                ("actor_uri", fields.CharField(max_length=2048)),
                (
                    "body",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("error", fields.TextField(null=True, unique=False)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "processed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "inbound_activities",
                "app": "models",
                "indexes": [Index(fields=["state", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "A verified activity stored before we answer 202; the worker runs its handler.",
            },
            bases=["QueuedRow"],
        ),
        ops.CreateModel(
            name="Interaction",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("kind", fields.CharField(max_length=16)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="interactions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("object_uri", fields.CharField(db_index=True, max_length=2048)),
                ("activity_uri", fields.CharField(unique=True, max_length=2048)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "interactions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A Like or an Announce of a local post by anyone.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ListedSource",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("kind", fields.CharField(max_length=8)),
                ("value", fields.CharField(max_length=2048)),
                ("note", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "listed_sources",
                "app": "models",
                "unique_together": (("kind", "value"),),
                "pk_attr": "id",
                "table_description": "A remote account (actor URI) or domain an admin marked as a generated-art source.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "recipient",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="recipient_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                (
                    "account",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="caused_notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("post_uri", fields.CharField(null=True, max_length=2048)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "notifications",
                "app": "models",
                "unique_together": (("recipient", "kind", "account", "post_uri"),),
                "pk_attr": "id",
                "table_description": "Something a member is told about: a follow or follow request, a favourite or boost of",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OAuthApp",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("name", fields.CharField(max_length=255)),
                ("website", fields.CharField(null=True, max_length=2048)),
                ("redirect_uris", fields.TextField(unique=False)),
                ("scopes", fields.CharField(max_length=1024)),
                ("client_id", fields.CharField(unique=True, max_length=64)),
                ("client_secret_hash", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "oauth_apps",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An app registered with POST /api/v1/apps (anyone may register one, as on Mastodon).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OAuthCode",
            fields=[
                (
                    "code_hash",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "app",
                    fields.ForeignKeyField(
                        "models.OAuthApp",
                        source_field="app_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="oauth_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("redirect_uri", fields.CharField(max_length=2048)),
                ("scopes", fields.CharField(max_length=1024)),
                ("code_challenge", fields.CharField(null=True, max_length=128)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "oauth_codes",
                "app": "models",
                "pk_attr": "code_hash",
                "table_description": "A code the consent page gave a member's browser; good once, for ten minutes.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OAuthToken",
            fields=[
                (
                    "token_hash",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "app",
                    fields.ForeignKeyField(
                        "models.OAuthApp",
                        source_field="app_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="oauth_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("scopes", fields.CharField(max_length=1024)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "oauth_tokens",
                "app": "models",
                "pk_attr": "token_hash",
                "table_description": "An access token: a member's (authorization code) or the app's own (client",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Post",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("uri", fields.CharField(unique=True, max_length=2048)),
                ("url", fields.CharField(null=True, max_length=2048)),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="posts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("local", fields.BooleanField(default=False)),
                ("content", fields.TextField(default="", unique=False)),
                ("title", fields.CharField(default="", max_length=200)),
                (
                    "tags",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("summary", fields.TextField(null=True, unique=False)),
                ("sensitive", fields.BooleanField(default=False)),
                ("in_reply_to", fields.CharField(null=True, max_length=2048)),
                ("visibility", fields.CharField(default="public", max_length=16)),
                (
                    "recipients",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("published", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("x_robots_tag", fields.CharField(null=True, max_length=200)),
                ("held", fields.BooleanField(default=False)),
                ("cloak_pending", fields.BooleanField(default=False)),
                ("cloak_strength", fields.CharField(null=True, max_length=16)),
                ("pinned_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "posts",
                "app": "models",
                "indexes": [
                    Index(fields=["author_id", "deleted_at", "published"]),
                    Index(fields=["local", "published"]),
                    Index(fields=["in_reply_to"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AlbumItem",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "album",
                    fields.ForeignKeyField(
                        "models.Album",
                        source_field="album_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="items",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="album_items",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField(default=0)),
            ],
            options={
                "table": "album_items",
                "app": "models",
                "unique_together": (("album", "post"),),
                "pk_attr": "id",
                "table_description": "One work in an album, at its place; the first item's first image is the cover.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Bookmark",
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
                        related_name="bookmarks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="bookmarked_by",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "bookmarks",
                "app": "models",
                "unique_together": (("member", "post"),),
                "pk_attr": "id",
                "table_description": "A post a member keeps to find again: theirs alone, never sent anywhere. Its id is",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MediaAttachment",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField(default=0)),
                ("remote_url", fields.CharField(null=True, max_length=2048)),
                ("file_name", fields.CharField(null=True, max_length=255)),
                ("media_type", fields.CharField(max_length=255)),
                ("description", fields.TextField(default="", unique=False)),
                ("width", fields.IntField(null=True)),
                ("height", fields.IntField(null=True)),
                ("blurhash", fields.CharField(null=True, max_length=200)),
                ("thumb_file", fields.CharField(null=True, max_length=255)),
                ("thumb_width", fields.IntField(null=True)),
                ("thumb_height", fields.IntField(null=True)),
                ("focal_x", fields.FloatField(default=0.0)),
                ("focal_y", fields.FloatField(default=0.0)),
                ("size_bytes", fields.BigIntField(null=True)),
                ("sha256", fields.CharField(null=True, max_length=64)),
                ("screening_verdict", fields.CharField(default="accept", max_length=16)),
                (
                    "screening_evidence",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_file", fields.CharField(null=True, max_length=255)),
                ("cloak_state", fields.CharField(default="none", max_length=16)),
                (
                    "cloak_report",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "media_attachments",
                "app": "models",
                "indexes": [Index(fields=["post_id", "position"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CloakJob",
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
                (
                    "attachment",
                    fields.ForeignKeyField(
                        "models.MediaAttachment",
                        source_field="attachment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cloak_jobs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("error", fields.TextField(null=True, unique=False)),
                ("strength", fields.CharField(null=True, max_length=16)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "cloak_jobs",
                "app": "models",
                "indexes": [Index(fields=["state", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "Cloaking one local image, off the request path. pending → done | dead; leased while a",
            },
            bases=["QueuedRow"],
        ),
        ops.CreateModel(
            name="ModerationRecord",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("state", fields.CharField(db_index=True, max_length=16)),
                ("origin", fields.CharField(max_length=8)),
                ("actor_uri", fields.CharField(db_index=True, max_length=2048)),
                ("domain", fields.CharField(db_index=True, max_length=255)),
                ("activity_uri", fields.CharField(null=True, max_length=2048)),
                ("post_uri", fields.CharField(null=True, max_length=2048)),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="moderation",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "media_sha256",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "evidence",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("reason", fields.TextField(default="", unique=False)),
                ("appeal_note", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "moderation_records",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Why a post was refused or held, for an admin to read and decide on.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HashEntry",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("algorithm", fields.CharField(max_length=16)),
                ("hash", fields.CharField(max_length=64)),
                ("quality", fields.IntField()),
                ("reason", fields.CharField(max_length=16)),
                (
                    "record",
                    fields.ForeignKeyField(
                        "models.ModerationRecord",
                        source_field="record_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="hash_entries",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "withdrawn_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
            ],
            options={
                "table": "hash_entries",
                "app": "models",
                "unique_together": (("algorithm", "hash"),),
                "pk_attr": "id",
                "table_description": "An image this instance refused or rejected as generated, kept as its perceptual hash",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboundActivity",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("uri", fields.CharField(unique=True, max_length=2048)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.Actor",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="activities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                (
                    "body",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("public", fields.BooleanField(default=False)),
                (
                    "post",
                    fields.ForeignKeyField(
                        "models.Post",
                        source_field="post_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="activities",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "outbound_activities",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Every activity we emit, kept so that its id dereferences.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Delivery",
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
                (
                    "activity",
                    fields.ForeignKeyField(
                        "models.OutboundActivity",
                        source_field="activity_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("inbox", fields.CharField(max_length=2048)),
                ("domain", fields.CharField(db_index=True, max_length=255)),
                ("last_status", fields.IntField(null=True)),
                ("last_error", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "deliveries",
                "app": "models",
                "unique_together": (("activity", "inbox"),),
                "indexes": [Index(fields=["state", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "One activity to one inbox. pending → done | dead; leased while being sent.",
            },
            bases=["QueuedRow"],
        ),
        ops.CreateModel(
            name="PostSubscription",
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
                        related_name="subscriptions",
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
                        related_name="subscribers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "post_subscriptions",
                "app": "models",
                "unique_together": (("member", "account"),),
                "pk_attr": "id",
                "table_description": "Mastodon's bell on a follow (`notify`): the member is told when the account posts.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ScreeningEmbedding",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "record",
                    fields.ForeignKeyField(
                        "models.ModerationRecord",
                        source_field="record_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="embeddings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("image", fields.IntField()),
                ("sha256", fields.CharField(null=True, max_length=64)),
                ("encoder", fields.CharField(max_length=64)),
                ("vector", fields.BinaryField()),
                ("label", fields.CharField(null=True, db_index=True, max_length=8)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "screening_embeddings",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The bundled encoder's embedding of an image a moderation record is about, labelled",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SigningKey",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("name", fields.CharField(unique=True, max_length=32)),
                ("private_key_pem", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "signing_keys",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A key of the instance other than the actors' RSA keys: the Ed25519 key that signs",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SubscribedHash",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "subscription",
                    fields.ForeignKeyField(
                        "models.HashSubscription",
                        source_field="subscription_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="hashes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("entry_id", fields.CharField(max_length=2048)),
                ("algorithm", fields.CharField(max_length=16)),
                ("hash", fields.CharField(max_length=64)),
                ("reason", fields.CharField(max_length=16)),
                ("published", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "subscribed_hashes",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One entry of a subscribed list as last synced; replaced whole at each sync.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebSession",
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
                        related_name="web_sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("csrf_token", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "web_sessions",
                "app": "models",
                "pk_attr": "token_hash",
                "table_description": "A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here, so",
            },
            bases=["Model"],
        ),
    ]
