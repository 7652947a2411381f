-- The database of cara-fed at commit e52de09 (an instance's start-up made the schema), with rows:
-- git archive e52de09 | tar -x -C /tmp/release
-- PYTHONPATH=/tmp/release .venv/bin/python tests/cara_fed/releases/make_dump.py sqlite e52de09.sqlite.sql
BEGIN TRANSACTION;
CREATE TABLE "actors" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "uri" VARCHAR(2048) NOT NULL UNIQUE,
    "local" INT NOT NULL,
    "actor_type" VARCHAR(32) NOT NULL,
    "username" VARCHAR(255) NOT NULL,
    "domain" VARCHAR(255) NOT NULL,
    "display_name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "url" VARCHAR(2048),
    "inbox" VARCHAR(2048) NOT NULL,
    "shared_inbox" VARCHAR(2048),
    "outbox" VARCHAR(2048),
    "followers_url" VARCHAR(2048),
    "following_url" VARCHAR(2048),
    "featured_url" VARCHAR(2048),
    "key_id" VARCHAR(2048) NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "private_key_pem" TEXT,
    "password_hash" TEXT,
    "manually_approves_followers" INT NOT NULL,
    "discoverable" INT NOT NULL,
    "indexable" INT NOT NULL,
    "cloak_images" INT,
    "cloak_review" INT NOT NULL,
    "require_alt_text" INT,
    "icon_url" VARCHAR(2048),
    "image_url" VARCHAR(2048),
    "avatar_file" VARCHAR(255),
    "avatar_media_type" VARCHAR(64),
    "header_file" VARCHAR(255),
    "header_media_type" VARCHAR(64),
    "links" JSON NOT NULL,
    "feed_filters" JSON NOT NULL,
    "approved" INT NOT NULL,
    "signup_reason" TEXT,
    "admin" INT NOT NULL,
    "fetched_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL
);
INSERT INTO "actors" VALUES(1,'https://art.example/users/alice',1,'Person','alice','art.example','Alice','<p>ink; paper</p>',NULL,'https://art.example/users/alice/inbox',NULL,NULL,NULL,NULL,NULL,'https://art.example/users/alice#main-key','PEM-A','PRIVATE-A','scrypt$x',0,1,0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'[]','{}',1,NULL,0,NULL,'2026-12-06 04:52:55.850675+00:00');
INSERT INTO "actors" VALUES(2,'https://masto.example/users/bob',0,'Person','bob','masto.example','','',NULL,'https://masto.example/users/bob/inbox','https://masto.example/inbox',NULL,NULL,NULL,NULL,'https://masto.example/users/bob#main-key','PEM-B',NULL,NULL,0,1,0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'[]','{}',1,NULL,0,NULL,'2026-12-06 04:52:55.852089+00:00');
CREATE TABLE "album_items" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "album_id" BIGINT NOT NULL REFERENCES "albums" ("id") ON DELETE CASCADE,
    "post_id" BIGINT NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_album_items_album_i_b40530" UNIQUE ("album_id", "post_id")
);
INSERT INTO "album_items" VALUES(1,0,1,1);
CREATE TABLE "albums" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "owner_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE
);
INSERT INTO "albums" VALUES(1,'Sketches','','2026-12-06 04:52:55.862644+00:00','2026-12-06 04:52:55.862652+00:00',1);
CREATE TABLE "api_uploads" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "file_name" VARCHAR(255),
    "sha256" VARCHAR(64) NOT NULL,
    "media_type" VARCHAR(64) NOT NULL,
    "width" INT NOT NULL,
    "height" INT NOT NULL,
    "description" TEXT NOT NULL,
    "focus_x" REAL NOT NULL,
    "focus_y" REAL NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "verdict" JSON,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE
);
CREATE TABLE "bookmarks" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "member_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "post_id" BIGINT NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_bookmarks_member__63136b" UNIQUE ("member_id", "post_id")
);
CREATE TABLE "cloak_jobs" (
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "lease_until" TIMESTAMP,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "error" TEXT,
    "strength" VARCHAR(16),
    "created_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP,
    "attachment_id" BIGINT NOT NULL REFERENCES "media_attachments" ("id") ON DELETE CASCADE
);
INSERT INTO "cloak_jobs" VALUES('done',0,'2026-11-30 12:00:00+00:00',NULL,1,NULL,NULL,'2026-12-06 04:52:55.864290+00:00',NULL,1);
CREATE TABLE "deliveries" (
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "lease_until" TIMESTAMP,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "inbox" VARCHAR(2048) NOT NULL,
    "domain" VARCHAR(255) NOT NULL,
    "last_status" INT,
    "last_error" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP,
    "activity_id" BIGINT NOT NULL REFERENCES "outbound_activities" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_deliveries_activit_6e24bd" UNIQUE ("activity_id", "inbox")
);
INSERT INTO "deliveries" VALUES('pending',0,'2026-11-30 12:00:00+00:00',NULL,1,'https://masto.example/inbox','masto.example',NULL,NULL,'2026-12-06 04:52:55.858754+00:00',NULL,1);
CREATE TABLE "domain_blocks" (
    "domain" VARCHAR(255) NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
INSERT INTO "domain_blocks" VALUES('spam.example','spam','2026-12-06 04:52:55.861092+00:00');
CREATE TABLE "domain_health" (
    "domain" VARCHAR(255) NOT NULL PRIMARY KEY,
    "consecutive_failures" INT NOT NULL,
    "unavailable_until" TIMESTAMP,
    "last_error" TEXT
);
INSERT INTO "domain_health" VALUES('slow.example',2,NULL,NULL);
CREATE TABLE "follows" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "activity_uri" VARCHAR(2048) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "followee_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "follower_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_follows_followe_7900d3" UNIQUE ("follower_id", "followee_id")
);
INSERT INTO "follows" VALUES(1,'accepted','https://masto.example/f/1','2026-12-06 04:52:55.856022+00:00',1,2);
CREATE TABLE "hash_entries" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "algorithm" VARCHAR(16) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,
    "quality" INT NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "withdrawn_at" TIMESTAMP,
    "record_id" BIGINT REFERENCES "moderation_records" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_hash_entrie_algorit_ec236a" UNIQUE ("algorithm", "hash")
);
CREATE TABLE "hash_subscriptions" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "url" VARCHAR(2048) NOT NULL UNIQUE,
    "action" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "next_sync_at" TIMESTAMP NOT NULL,
    "synced_at" TIMESTAMP,
    "last_error" TEXT,
    "entries" INT NOT NULL,
    "skipped" INT NOT NULL
);
CREATE TABLE "inbound_activities" (
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "lease_until" TIMESTAMP,
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "uri" VARCHAR(2048) NOT NULL UNIQUE,
    "kind" VARCHAR(32) NOT NULL,
    "actor_uri" VARCHAR(2048) NOT NULL,
    "body" JSON NOT NULL,
    "error" TEXT,
    "received_at" TIMESTAMP NOT NULL,
    "processed_at" TIMESTAMP
);
INSERT INTO "inbound_activities" VALUES('done',0,'2026-11-30 12:00:00+00:00',NULL,1,'https://masto.example/a/1','Create','https://masto.example/users/bob','{"type":"Create","object":"https://masto.example/statuses/9"}',NULL,'2026-12-06 04:52:55.859709+00:00',NULL);
CREATE TABLE "interactions" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "object_uri" VARCHAR(2048) NOT NULL,
    "activity_uri" VARCHAR(2048) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE
);
INSERT INTO "interactions" VALUES(1,'like','https://art.example/posts/1','https://masto.example/l/1','2026-12-06 04:52:55.856909+00:00',2);
CREATE TABLE "listed_sources" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "value" VARCHAR(2048) NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_listed_sour_kind_9116fd" UNIQUE ("kind", "value")
);
CREATE TABLE "media_attachments" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "remote_url" VARCHAR(2048),
    "file_name" VARCHAR(255),
    "media_type" VARCHAR(255) NOT NULL,
    "description" TEXT NOT NULL,
    "width" INT,
    "height" INT,
    "blurhash" VARCHAR(200),
    "thumb_file" VARCHAR(255),
    "thumb_width" INT,
    "thumb_height" INT,
    "focal_x" REAL NOT NULL,
    "focal_y" REAL NOT NULL,
    "size_bytes" BIGINT,
    "sha256" VARCHAR(64),
    "screening_verdict" VARCHAR(16) NOT NULL,
    "screening_evidence" JSON,
    "original_file" VARCHAR(255),
    "cloak_state" VARCHAR(16) NOT NULL,
    "cloak_report" JSON,
    "post_id" BIGINT NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE
);
INSERT INTO "media_attachments" VALUES(1,0,NULL,'local/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg','image/jpeg','ink study',640,480,'LEHV6nWB2yk8pyo0adR*.7kCMdnj',NULL,NULL,NULL,0.0,0.0,NULL,NULL,'accept',NULL,NULL,'none',NULL,1);
CREATE TABLE "moderation_records" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "origin" VARCHAR(8) NOT NULL,
    "actor_uri" VARCHAR(2048) NOT NULL,
    "domain" VARCHAR(255) NOT NULL,
    "activity_uri" VARCHAR(2048),
    "post_uri" VARCHAR(2048),
    "media_sha256" JSON NOT NULL,
    "evidence" JSON NOT NULL,
    "reason" TEXT NOT NULL,
    "appeal_note" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    "decided_at" TIMESTAMP,
    "post_id" BIGINT REFERENCES "posts" ("id") ON DELETE SET NULL
);
INSERT INTO "moderation_records" VALUES(1,'refused','remote','https://masto.example/users/bob','masto.example','https://masto.example/a/2',NULL,'[]','[{"signal":"c2pa"}]','',NULL,'2026-12-06 04:52:55.865186+00:00',NULL,NULL);
CREATE TABLE "notifications" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "post_uri" VARCHAR(2048),
    "created_at" TIMESTAMP NOT NULL,
    "account_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "recipient_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_notificatio_recipie_37624e" UNIQUE ("recipient_id", "kind", "account_id", "post_uri")
);
CREATE TABLE "oauth_apps" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "website" VARCHAR(2048),
    "redirect_uris" TEXT NOT NULL,
    "scopes" VARCHAR(1024) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL UNIQUE,
    "client_secret_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE TABLE "oauth_codes" (
    "code_hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "redirect_uri" VARCHAR(2048) NOT NULL,
    "scopes" VARCHAR(1024) NOT NULL,
    "code_challenge" VARCHAR(128),
    "expires_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "app_id" BIGINT NOT NULL REFERENCES "oauth_apps" ("id") ON DELETE CASCADE
);
CREATE TABLE "oauth_tokens" (
    "token_hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "scopes" VARCHAR(1024) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "actor_id" BIGINT REFERENCES "actors" ("id") ON DELETE CASCADE,
    "app_id" BIGINT NOT NULL REFERENCES "oauth_apps" ("id") ON DELETE CASCADE
);
CREATE TABLE "outbound_activities" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "uri" VARCHAR(2048) NOT NULL UNIQUE,
    "kind" VARCHAR(32) NOT NULL,
    "body" JSON NOT NULL,
    "public" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "post_id" BIGINT REFERENCES "posts" ("id") ON DELETE SET NULL
);
INSERT INTO "outbound_activities" VALUES(1,'https://art.example/activities/1','Create','{"type":"Create","object":"https://art.example/posts/1"}',1,'2026-12-06 04:52:55.857845+00:00',1,1);
CREATE TABLE "post_subscriptions" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "account_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    "member_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_post_subscr_member__14506f" UNIQUE ("member_id", "account_id")
);
CREATE TABLE "posts" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "uri" VARCHAR(2048) NOT NULL UNIQUE,
    "url" VARCHAR(2048),
    "local" INT NOT NULL,
    "content" TEXT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "tags" JSON NOT NULL,
    "summary" TEXT,
    "sensitive" INT NOT NULL,
    "in_reply_to" VARCHAR(2048),
    "visibility" VARCHAR(16) NOT NULL,
    "recipients" JSON NOT NULL,
    "published" TIMESTAMP NOT NULL,
    "updated" TIMESTAMP,
    "deleted_at" TIMESTAMP,
    "x_robots_tag" VARCHAR(200),
    "held" INT NOT NULL,
    "cloak_pending" INT NOT NULL,
    "cloak_strength" VARCHAR(16),
    "pinned_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "author_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE
);
INSERT INTO "posts" VALUES(1,'https://art.example/posts/1',NULL,1,'<p>héllo; it''s “quoted”</p>','','[]',NULL,0,NULL,'public','[]','2026-11-30 12:00:00+00:00',NULL,NULL,NULL,0,0,NULL,NULL,'2026-12-06 04:52:55.853236+00:00',1);
INSERT INTO "posts" VALUES(2,'https://masto.example/statuses/9',NULL,0,'<p>lovely</p>','','[]',NULL,0,'https://art.example/posts/1','public','[]','2026-11-30 12:05:00+00:00',NULL,NULL,NULL,0,0,NULL,NULL,'2026-12-06 04:52:55.854005+00:00',2);
CREATE TABLE "screening_embeddings" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "image" INT NOT NULL,
    "sha256" VARCHAR(64),
    "encoder" VARCHAR(64) NOT NULL,
    "vector" BLOB NOT NULL,
    "label" VARCHAR(8),
    "created_at" TIMESTAMP NOT NULL,
    "record_id" BIGINT NOT NULL REFERENCES "moderation_records" ("id") ON DELETE CASCADE
);
CREATE TABLE "signing_keys" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(32) NOT NULL UNIQUE,
    "private_key_pem" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE TABLE "subscribed_hashes" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "entry_id" VARCHAR(2048) NOT NULL,
    "algorithm" VARCHAR(16) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "published" TIMESTAMP,
    "subscription_id" BIGINT NOT NULL REFERENCES "hash_subscriptions" ("id") ON DELETE CASCADE
);
CREATE TABLE "web_sessions" (
    "token_hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "csrf_token" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "actor_id" BIGINT NOT NULL REFERENCES "actors" ("id") ON DELETE CASCADE
);
INSERT INTO "web_sessions" VALUES('cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc','dddddddddddddddddddddddddddddddd','2026-12-06 04:52:55.860472+00:00','2026-12-30 12:00:00+00:00',1);
CREATE INDEX "idx_actors_local_2efa5c" ON "actors" ("local");
CREATE INDEX "idx_actors_domain_037191" ON "actors" ("domain");
CREATE INDEX "idx_actors_key_id_5715a3" ON "actors" ("key_id");
CREATE INDEX "idx_actors_usernam_e61b34" ON "actors" ("username", "domain");
CREATE INDEX "idx_hash_subscr_next_sy_55f066" ON "hash_subscriptions" ("next_sync_at");
CREATE INDEX "idx_inbound_act_state_c6a667" ON "inbound_activities" ("state", "next_attempt_at");
CREATE INDEX "idx_interaction_object__044bf5" ON "interactions" ("object_uri");
CREATE INDEX "idx_posts_author__d3d09b" ON "posts" ("author_id", "deleted_at", "published");
CREATE INDEX "idx_posts_local_6fa168" ON "posts" ("local", "published");
CREATE INDEX "idx_posts_in_repl_3482f5" ON "posts" ("in_reply_to");
CREATE INDEX "idx_media_attac_post_id_01f3fa" ON "media_attachments" ("post_id", "position");
CREATE INDEX "idx_cloak_jobs_state_1e4b99" ON "cloak_jobs" ("state", "next_attempt_at");
CREATE INDEX "idx_moderation__state_94d625" ON "moderation_records" ("state");
CREATE INDEX "idx_moderation__actor_u_258946" ON "moderation_records" ("actor_uri");
CREATE INDEX "idx_moderation__domain_577e94" ON "moderation_records" ("domain");
CREATE INDEX "idx_hash_entrie_withdra_2b8b15" ON "hash_entries" ("withdrawn_at");
CREATE INDEX "idx_deliveries_domain_3b9e62" ON "deliveries" ("domain");
CREATE INDEX "idx_deliveries_state_36d329" ON "deliveries" ("state", "next_attempt_at");
CREATE INDEX "idx_screening_e_label_ddedb7" ON "screening_embeddings" ("label");
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('actors',2);
INSERT INTO "sqlite_sequence" VALUES('posts',2);
INSERT INTO "sqlite_sequence" VALUES('media_attachments',1);
INSERT INTO "sqlite_sequence" VALUES('follows',1);
INSERT INTO "sqlite_sequence" VALUES('interactions',1);
INSERT INTO "sqlite_sequence" VALUES('outbound_activities',1);
INSERT INTO "sqlite_sequence" VALUES('deliveries',1);
INSERT INTO "sqlite_sequence" VALUES('inbound_activities',1);
INSERT INTO "sqlite_sequence" VALUES('albums',1);
INSERT INTO "sqlite_sequence" VALUES('album_items',1);
INSERT INTO "sqlite_sequence" VALUES('cloak_jobs',1);
INSERT INTO "sqlite_sequence" VALUES('moderation_records',1);
COMMIT;
