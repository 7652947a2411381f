"""The tables. Local and remote actors share one table (domain tells them apart), like GoToSocial.

Background work (inbound jobs, deliveries) is rows with explicit states and retry times, so the
database is the queue and a restart simply resumes (Takahē's stator idea).
"""

from __future__ import annotations

from tortoise import fields

from cara_fed.store.base_model import Model


class Actor(Model):
    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    local = fields.BooleanField(default=False, db_index=True)
    actor_type = fields.CharField(max_length=32, default="Person")
    username = fields.CharField(max_length=255)
    domain = fields.CharField(max_length=255, db_index=True)
    display_name = fields.TextField(default="")
    summary = fields.TextField(default="")
    url = fields.CharField(max_length=2048, null=True)
    inbox = fields.CharField(max_length=2048)
    shared_inbox = fields.CharField(max_length=2048, null=True)
    outbox = fields.CharField(max_length=2048, null=True)
    followers_url = fields.CharField(max_length=2048, null=True)
    following_url = fields.CharField(max_length=2048, null=True)
    featured_url = fields.CharField(max_length=2048, null=True)
    key_id = fields.CharField(max_length=2048, db_index=True)
    public_key_pem = fields.TextField()
    private_key_pem = fields.TextField(null=True)
    password_hash = fields.TextField(null=True)
    manually_approves_followers = fields.BooleanField(default=False)
    discoverable = fields.BooleanField(default=True)
    indexable = fields.BooleanField(default=False)
    # Local accounts: cloak published images (None: the instance's [cloak] default).
    cloak_images = fields.BooleanField(null=True)
    # Local accounts: when the cloak of a work is done, wait for the artist to look at it and
    # press Publish (services/cloak_choice.py) instead of publishing at once.
    cloak_review = fields.BooleanField(default=False)
    # None: the instance's [media] require_alt_text.
    require_alt_text = fields.BooleanField(null=True)
    # Local accounts: how their works are made unless a work says otherwise, declared in its
    # Content Credentials (digital, photo, scan: cloak/content_credentials.py); None: digital.
    made_as = fields.CharField(max_length=16, null=True)
    icon_url = fields.CharField(max_length=2048, null=True)
    image_url = fields.CharField(max_length=2048, null=True)
    # Local accounts: avatar and header files in the media store (served like post media).
    avatar_file = fields.CharField(max_length=255, null=True)
    avatar_media_type = fields.CharField(max_length=64, null=True)
    header_file = fields.CharField(max_length=255, null=True)
    header_media_type = fields.CharField(max_length=64, null=True)
    # Local accounts: profile links [{"name", "url"}], federated as PropertyValue fields.
    links = fields.JSONField(default=list)
    # Local accounts: the home feed's saved filters (cara_fed/services/feed.py reads them).
    feed_filters = fields.JSONField(default=dict)
    # Account migration: the accounts this one says it also is (a local member's aliases, a
    # remote actor's alsoKnownAs), and the account it moved to, once a move is done (ours)
    # or believed (a remote account's Move whose target names it in alsoKnownAs).
    also_known_as = fields.JSONField(null=True)
    moved_to = fields.CharField(max_length=2048, null=True)
    moved_at = fields.DatetimeField(null=True)
    # Local accounts made by sign-up under `registrations = "approval"` wait for an admin.
    approved = fields.BooleanField(default=True)
    signup_reason = fields.TextField(null=True)
    # Local accounts: may decide sign-ups on the web (granted with `cara-fed user admin`).
    admin = fields.BooleanField(default=False)
    # Local accounts deleted by their member or an admin (services/account_deletion.py): the
    # row stays, emptied, so the name is never given out again and the Delete sent to other
    # servers can still be signed; its pages answer 410 Gone.
    deleted_at = fields.DatetimeField(null=True)
    # Local accounts suspended by an admin (services/suspension.py): no sign-in, pages 403,
    # the actor served as Mastodon serves a suspended one; undone by unsuspending.
    suspended_at = fields.DatetimeField(null=True)
    fetched_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "actors"
        indexes = (("username", "domain"),)

    @property
    def handle(self) -> str:
        return f"{self.username}@{self.domain}"


class QueuedRow(Model):
    """A row of a durable queue (cara_fed/store/queue.py claims them): pending until its
    outcome, due at next_attempt_at, leased while a worker has it, its attempts counted."""

    state = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)

    class Meta:
        abstract = True


# Every queue table needs this index (tortoise does not inherit an abstract Meta's indexes):
# a claim reads the first due pending rows in order; without it each claim sorted every pending
# row, and a backlog of 10,000 inbound activities drained at a fraction of the speed.
QUEUE_INDEX = ("state", "next_attempt_at")


# Visibilities anyone may read without being addressed.
PUBLIC_VISIBILITIES = ("public", "unlisted")
# Filters for posts that exist for readers: not deleted, not held for moderation, not waiting
# for their images to be cloaked.
SHOWN = {"deleted_at": None, "held": False, "cloak_pending": False}


# Portfolio and feed queries by author; the instance home's recent local work; the replies to
# a work. Measured on a database of 100,000 remote posts (bench/render.py's notes): without
# the last two, the home page took 14 ms and a work's replies 16 ms instead of 0.06 / 0.01.
POST_INDEXES = (("author_id", "deleted_at", "published"), ("local", "published"), ("in_reply_to",))
MEDIA_INDEXES = (("post_id", "position"),)


class Post(Model):
    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    url = fields.CharField(max_length=2048, null=True)
    author: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="posts", on_delete=fields.CASCADE
    )
    local = fields.BooleanField(default=False)
    content = fields.TextField(default="")
    # Local works: the title shown above the images (federated as the first line of content).
    title = fields.CharField(max_length=200, default="")
    # Hashtag names, without "#", as written (the feed's "hide tags" filter reads them).
    tags = fields.JSONField(default=list)
    summary = fields.TextField(null=True)
    sensitive = fields.BooleanField(default=False)
    in_reply_to = fields.CharField(max_length=2048, null=True)
    visibility = fields.CharField(max_length=16, default="public")
    # Everyone the post was addressed to (to + cc), so direct and followers-only posts are
    # shown only to the people they were sent to.
    recipients = fields.JSONField(default=list)
    published = fields.DatetimeField()
    updated = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    # FEP-5e53 opt-out signal of a remote post, kept and shown ("noai"...).
    x_robots_tag = fields.CharField(max_length=200, null=True)
    # Held for moderation review: stored, but invisible and (for local posts) not federated.
    held = fields.BooleanField(default=False)
    # A local post waiting for its images to be cloaked: stored, invisible, not yet sent.
    # It publishes when its last cloak job finishes (and it is not held).
    cloak_pending = fields.BooleanField(default=False)
    # Local works: the cloak strength the artist chose for this work (off, low, default,
    # strong); None: the artist's setting and the instance's [cloak] strength.
    cloak_strength = fields.CharField(max_length=16, null=True)
    # Local works: how the artist says this work was made (digital, photo, scan); None: the
    # artist's default.
    made_as = fields.CharField(max_length=16, null=True)
    # Pinned works come first in the portfolio and form the actor's `featured` collection.
    pinned_at = fields.DatetimeField(null=True)
    # Imported works (cara_fed/imports/): where the post first appeared, for readers to follow
    # back (a Mastodon status, an Instagram post); and that it is back catalogue, published
    # with its original date and not pushed into followers' timelines.
    source_url = fields.CharField(max_length=2048, null=True)
    imported = fields.BooleanField(default=False, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "posts"
        indexes = POST_INDEXES


class MediaAttachment(Model):
    id = fields.BigIntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="attachments", on_delete=fields.CASCADE
    )
    position = fields.IntField(default=0)
    remote_url = fields.CharField(max_length=2048, null=True)
    file_name = fields.CharField(max_length=255, null=True)  # a media name; None if not cached
    media_type = fields.CharField(max_length=255)
    description = fields.TextField(default="")
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    blurhash = fields.CharField(max_length=200, null=True)
    # Local images: a small rendition for grids, made from the published (cloaked) one.
    thumb_file = fields.CharField(max_length=255, null=True)
    thumb_width = fields.IntField(null=True)
    thumb_height = fields.IntField(null=True)
    focal_x = fields.FloatField(default=0.0)
    focal_y = fields.FloatField(default=0.0)
    size_bytes = fields.BigIntField(null=True)
    sha256 = fields.CharField(max_length=64, null=True)
    # Screening (issue 3 fills this in): accept | review | refuse, with evidence as JSON.
    screening_verdict = fields.CharField(max_length=16, default="accept")
    screening_evidence = fields.JSONField(null=True)
    # Local images: the artist's upload (orientation applied, metadata dropped, full size),
    # under private/ in the media store, never served; file_name is the rendition we publish.
    original_file = fields.CharField(max_length=255, null=True)
    # none (remote, or cloak off) | pending | done | failed; the report holds its measurements.
    cloak_state = fields.CharField(max_length=16, default="none")
    cloak_report = fields.JSONField(null=True)
    # Remote images: what their Content Credentials said on arrival and how far they held
    # (inbox/credentials_check.py); None when the image carried none.
    credentials = fields.JSONField(null=True)

    class Meta:
        table = "media_attachments"
        ordering = ("position",)
        # Every page reads a post's images: 42 ms a query without it among 100,000 posts.
        indexes = MEDIA_INDEXES


class Album(Model):
    """An artist's ordered selection of works, served as an OrderedCollection of them. A work
    may be in several albums; an album may hold more images than one post can carry."""

    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="albums", on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "albums"


class AlbumItem(Model):
    """One work in an album, at its place; the first item's first image is the cover."""

    id = fields.BigIntField(primary_key=True)
    album: fields.ForeignKeyRelation[Album] = fields.ForeignKeyField(
        "models.Album", related_name="items", on_delete=fields.CASCADE
    )
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="album_items", on_delete=fields.CASCADE
    )
    position = fields.IntField(default=0)

    class Meta:
        table = "album_items"
        unique_together = (("album", "post"),)
        ordering = ("position",)


class CloakJob(QueuedRow):
    """Cloaking one local image, off the request path. pending → done | dead; leased while a
    worker runs it, the lease renewed as it goes, so a killed worker's job is taken up again."""

    id = fields.BigIntField(primary_key=True)
    attachment: fields.ForeignKeyRelation[MediaAttachment] = fields.ForeignKeyField(
        "models.MediaAttachment", related_name="cloak_jobs", on_delete=fields.CASCADE
    )
    error = fields.TextField(null=True)
    # The strength to cloak at (cloak/strength.py); None: the instance's [cloak] strength.
    strength = fields.CharField(max_length=16, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "cloak_jobs"
        indexes = (QUEUE_INDEX,)


class Follow(Model):
    id = fields.BigIntField(primary_key=True)
    follower: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="following_rel", on_delete=fields.CASCADE
    )
    followee: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="followers_rel", on_delete=fields.CASCADE
    )
    state = fields.CharField(max_length=16, default="pending")  # pending | accepted
    activity_uri = fields.CharField(max_length=2048, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "follows"
        unique_together = (("follower", "followee"),)


class Interaction(Model):
    """A Like or an Announce of a local post by anyone."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # Like | Announce
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="interactions", on_delete=fields.CASCADE
    )
    object_uri = fields.CharField(max_length=2048, db_index=True)
    activity_uri = fields.CharField(max_length=2048, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "interactions"


class OutboundActivity(Model):
    """Every activity we emit, kept so that its id dereferences."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="activities", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=32)
    body = fields.JSONField()
    public = fields.BooleanField(default=False)
    post: fields.ForeignKeyNullableRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="activities", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outbound_activities"


class Delivery(QueuedRow):
    """One activity to one inbox. pending → done | dead; leased while being sent."""

    id = fields.BigIntField(primary_key=True)
    activity: fields.ForeignKeyRelation[OutboundActivity] = fields.ForeignKeyField(
        "models.OutboundActivity", related_name="deliveries", on_delete=fields.CASCADE
    )
    inbox = fields.CharField(max_length=2048)
    domain = fields.CharField(max_length=255, db_index=True)
    last_status = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "deliveries"
        unique_together = (("activity", "inbox"),)
        indexes = (QUEUE_INDEX,)


class WebSession(Model):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here, so
    a copy of the database signs no one in. Deleting the row signs the browser out."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="web_sessions", on_delete=fields.CASCADE
    )
    csrf_token = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    # What the member sees of it on /settings/apps, to tell their browsers apart and end one:
    # the browser's User-Agent and address at sign-in, and when it was last used (to within
    # sessions.SEEN_EVERY: written at most that often, not on every request).
    user_agent = fields.CharField(max_length=512, null=True)
    address = fields.CharField(max_length=64, null=True)
    last_seen_at = fields.DatetimeField(null=True)

    class Meta:
        table = "web_sessions"


class DomainBlock(Model):
    """A server we do not federate with at all, as Mastodon's "suspend": nothing is accepted
    from it or fetched from it, nothing is sent to it. Covers its subdomains too."""

    domain = fields.CharField(max_length=255, primary_key=True)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "domain_blocks"


class TrustedCredentials(Model):
    """A peer instance's Content Credentials CA that this instance trusts for the works of
    that domain's accounts (`cara-fed credentials trust`, or on first contact when the admin
    allows it)."""

    id = fields.BigIntField(primary_key=True)
    domain = fields.CharField(max_length=255, db_index=True)
    ca_pem = fields.TextField()
    sha256 = fields.CharField(max_length=95)  # AA:BB:… as admins compare it
    source = fields.CharField(max_length=16, default="admin")  # admin | first-contact
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "trusted_credentials"
        unique_together = (("domain", "sha256"),)


class DomainHealth(Model):
    domain = fields.CharField(max_length=255, primary_key=True)
    consecutive_failures = fields.IntField(default=0)
    unavailable_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "domain_health"


class InboundActivity(QueuedRow):
    """A verified activity stored before we answer 202; the worker runs its handler."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    kind = fields.CharField(max_length=32)
    actor_uri = fields.CharField(max_length=2048)
    body = fields.JSONField()
    error = fields.TextField(null=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inbound_activities"
        indexes = (QUEUE_INDEX,)


class ModerationRecord(Model):
    """Why a post was refused or held, for an admin to read and decide on.

    A refused remote post leaves only this record: the sender, the activity id, the evidence
    and the images' hashes, never the images. A held post (review) is stored with held=True
    and linked here until an admin approves or rejects it."""

    id = fields.BigIntField(primary_key=True)
    state = fields.CharField(max_length=16, db_index=True)  # refused|review|approved|rejected
    origin = fields.CharField(max_length=8)  # remote | local
    actor_uri = fields.CharField(max_length=2048, db_index=True)
    domain = fields.CharField(max_length=255, db_index=True)
    activity_uri = fields.CharField(max_length=2048, null=True)
    post_uri = fields.CharField(max_length=2048, null=True)
    post: fields.ForeignKeyNullableRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="moderation", null=True, on_delete=fields.SET_NULL
    )
    media_sha256 = fields.JSONField(default=list)
    evidence = fields.JSONField(default=list)
    reason = fields.TextField(default="")
    appeal_note = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "moderation_records"


class ListedSource(Model):
    """A remote account (actor URI) or domain an admin marked as a generated-art source."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=8)  # account | domain
    value = fields.CharField(max_length=2048)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "listed_sources"
        unique_together = (("kind", "value"),)


class SigningKey(Model):
    """A key of the instance other than the actors' RSA keys: the Ed25519 key that signs
    the documents this instance publishes (FEP-8b32 proofs on its hash list), named by use."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=32, unique=True)
    private_key_pem = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "signing_keys"


class HashEntry(Model):
    """An image this instance refused or rejected as generated, kept as its perceptual hash
    with the record that decided it; published in the hash list until withdrawn. The image
    and its poster are not kept here and never published."""

    id = fields.BigIntField(primary_key=True)
    algorithm = fields.CharField(max_length=16)
    hash = fields.CharField(max_length=64)
    quality = fields.IntField()
    reason = fields.CharField(max_length=16)  # provenance | declaration | moderator
    record: fields.ForeignKeyNullableRelation[ModerationRecord] = fields.ForeignKeyField(
        "models.ModerationRecord", related_name="hash_entries", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "hash_entries"
        unique_together = (("algorithm", "hash"),)


class HashSubscription(Model):
    """Another instance's hash list this admin trusts, and what a match does here."""

    id = fields.BigIntField(primary_key=True)
    url = fields.CharField(max_length=2048, unique=True)
    action = fields.CharField(max_length=8)  # refuse | review
    created_at = fields.DatetimeField(auto_now_add=True)
    next_sync_at = fields.DatetimeField(db_index=True)
    synced_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    entries = fields.IntField(default=0)
    skipped = fields.IntField(default=0)

    class Meta:
        table = "hash_subscriptions"


class SubscribedHash(Model):
    """One entry of a subscribed list as last synced; replaced whole at each sync."""

    id = fields.BigIntField(primary_key=True)
    subscription: fields.ForeignKeyRelation[HashSubscription] = fields.ForeignKeyField(
        "models.HashSubscription", related_name="hashes", on_delete=fields.CASCADE
    )
    entry_id = fields.CharField(max_length=2048)
    algorithm = fields.CharField(max_length=16)
    hash = fields.CharField(max_length=64)
    reason = fields.CharField(max_length=16)
    published = fields.DatetimeField(null=True)

    class Meta:
        table = "subscribed_hashes"


class ScreeningEmbedding(Model):
    """The bundled encoder's embedding of an image a moderation record is about, labelled
    when the decision is known: refused by a provenance signal or a declaration, or rejected
    by a moderator ("ai"); approved, or a refusal overturned on appeal ("real"). What
    `screen-train --from-moderation` learns from; the image itself is not kept for it."""

    id = fields.BigIntField(primary_key=True)
    record: fields.ForeignKeyRelation[ModerationRecord] = fields.ForeignKeyField(
        "models.ModerationRecord", related_name="embeddings", on_delete=fields.CASCADE
    )
    image = fields.IntField()  # position in the post
    sha256 = fields.CharField(max_length=64, null=True)
    encoder = fields.CharField(max_length=64)
    vector = fields.BinaryField()  # float16, little-endian
    label = fields.CharField(max_length=8, null=True, db_index=True)  # ai | real | undecided
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "screening_embeddings"


class RateEvent(Model):
    """One counted attempt (a failed sign-in, a sign-up, a token request, a status) for a rate
    limit. In the database, not in a process's memory, so that several web processes count
    together (cara_fed/services/throttle.py); rows older than the longest window are pruned."""

    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=16)
    key = fields.CharField(max_length=255)
    at = fields.DatetimeField()

    class Meta:
        table = "rate_events"
        indexes = (("bucket", "key", "at"),)
