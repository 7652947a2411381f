-- The database of cara-fed at commit e52de09 (an instance's start-up made the schema), with rows:
-- git archive e52de09 | tar -x -C /tmp/release
-- PYTHONPATH=/tmp/release .venv/bin/python tests/cara_fed/releases/make_dump.py postgres e52de09.postgres.sql
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: actors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.actors (
    id bigint NOT NULL,
    uri character varying(2048) NOT NULL,
    local boolean NOT NULL,
    actor_type character varying(32) NOT NULL,
    username character varying(255) NOT NULL,
    domain character varying(255) NOT NULL,
    display_name text NOT NULL,
    summary text NOT NULL,
    url character varying(2048),
    inbox character varying(2048) NOT NULL,
    shared_inbox character varying(2048),
    outbox character varying(2048),
    followers_url character varying(2048),
    following_url character varying(2048),
    featured_url character varying(2048),
    key_id character varying(2048) NOT NULL,
    public_key_pem text NOT NULL,
    private_key_pem text,
    password_hash text,
    manually_approves_followers boolean NOT NULL,
    discoverable boolean NOT NULL,
    indexable boolean NOT NULL,
    cloak_images boolean,
    cloak_review boolean NOT NULL,
    require_alt_text boolean,
    icon_url character varying(2048),
    image_url character varying(2048),
    avatar_file character varying(255),
    avatar_media_type character varying(64),
    header_file character varying(255),
    header_media_type character varying(64),
    links jsonb NOT NULL,
    feed_filters jsonb NOT NULL,
    approved boolean NOT NULL,
    signup_reason text,
    admin boolean NOT NULL,
    fetched_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: actors_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.actors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: actors_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.actors_id_seq OWNED BY public.actors.id;


--
-- Name: album_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.album_items (
    id bigint NOT NULL,
    "position" integer NOT NULL,
    album_id bigint NOT NULL,
    post_id bigint NOT NULL
);


--
-- Name: TABLE album_items; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.album_items IS 'One work in an album, at its place; the first item''s first image is the cover.';


--
-- Name: album_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.album_items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: album_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.album_items_id_seq OWNED BY public.album_items.id;


--
-- Name: albums; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.albums (
    id bigint NOT NULL,
    title character varying(200) NOT NULL,
    description text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    owner_id bigint NOT NULL
);


--
-- Name: TABLE albums; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.albums IS 'An artist''s ordered selection of works, served as an OrderedCollection of them. A work';


--
-- Name: albums_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.albums_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: albums_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.albums_id_seq OWNED BY public.albums.id;


--
-- Name: api_uploads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_uploads (
    id bigint NOT NULL,
    file_name character varying(255),
    sha256 character varying(64) NOT NULL,
    media_type character varying(64) NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    description text NOT NULL,
    focus_x double precision NOT NULL,
    focus_y double precision NOT NULL,
    state character varying(16) NOT NULL,
    verdict jsonb,
    created_at timestamp with time zone NOT NULL,
    actor_id bigint NOT NULL
);


--
-- Name: TABLE api_uploads; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.api_uploads IS 'An image uploaded through the client API (POST /api/v2/media) before it is attached to';


--
-- Name: api_uploads_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_uploads_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_uploads_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_uploads_id_seq OWNED BY public.api_uploads.id;


--
-- Name: bookmarks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bookmarks (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    member_id bigint NOT NULL,
    post_id bigint NOT NULL
);


--
-- Name: TABLE bookmarks; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.bookmarks IS 'A post a member keeps to find again: theirs alone, never sent anywhere. Its id is';


--
-- Name: bookmarks_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bookmarks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bookmarks_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bookmarks_id_seq OWNED BY public.bookmarks.id;


--
-- Name: cloak_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cloak_jobs (
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_until timestamp with time zone,
    id bigint NOT NULL,
    error text,
    strength character varying(16),
    created_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    attachment_id bigint NOT NULL
);


--
-- Name: TABLE cloak_jobs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.cloak_jobs IS 'Cloaking one local image, off the request path. pending → done | dead; leased while a';


--
-- Name: cloak_jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.cloak_jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: cloak_jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.cloak_jobs_id_seq OWNED BY public.cloak_jobs.id;


--
-- Name: deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deliveries (
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_until timestamp with time zone,
    id bigint NOT NULL,
    inbox character varying(2048) NOT NULL,
    domain character varying(255) NOT NULL,
    last_status integer,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    activity_id bigint NOT NULL
);


--
-- Name: TABLE deliveries; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.deliveries IS 'One activity to one inbox. pending → done | dead; leased while being sent.';


--
-- Name: deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: deliveries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.deliveries_id_seq OWNED BY public.deliveries.id;


--
-- Name: domain_blocks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.domain_blocks (
    domain character varying(255) NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE domain_blocks; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.domain_blocks IS 'A server we do not federate with at all, as Mastodon''s \"suspend\": nothing is accepted';


--
-- Name: domain_health; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.domain_health (
    domain character varying(255) NOT NULL,
    consecutive_failures integer NOT NULL,
    unavailable_until timestamp with time zone,
    last_error text
);


--
-- Name: follows; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.follows (
    id bigint NOT NULL,
    state character varying(16) NOT NULL,
    activity_uri character varying(2048) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    followee_id bigint NOT NULL,
    follower_id bigint NOT NULL
);


--
-- Name: follows_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.follows_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: follows_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.follows_id_seq OWNED BY public.follows.id;


--
-- Name: hash_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hash_entries (
    id bigint NOT NULL,
    algorithm character varying(16) NOT NULL,
    hash character varying(64) NOT NULL,
    quality integer NOT NULL,
    reason character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    withdrawn_at timestamp with time zone,
    record_id bigint
);


--
-- Name: TABLE hash_entries; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hash_entries IS 'An image this instance refused or rejected as generated, kept as its perceptual hash';


--
-- Name: hash_entries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.hash_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: hash_entries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.hash_entries_id_seq OWNED BY public.hash_entries.id;


--
-- Name: hash_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hash_subscriptions (
    id bigint NOT NULL,
    url character varying(2048) NOT NULL,
    action character varying(8) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    next_sync_at timestamp with time zone NOT NULL,
    synced_at timestamp with time zone,
    last_error text,
    entries integer NOT NULL,
    skipped integer NOT NULL
);


--
-- Name: TABLE hash_subscriptions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hash_subscriptions IS 'Another instance''s hash list this admin trusts, and what a match does here.';


--
-- Name: hash_subscriptions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.hash_subscriptions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: hash_subscriptions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.hash_subscriptions_id_seq OWNED BY public.hash_subscriptions.id;


--
-- Name: inbound_activities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbound_activities (
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_until timestamp with time zone,
    id bigint NOT NULL,
    uri character varying(2048) NOT NULL,
    kind character varying(32) NOT NULL,
    actor_uri character varying(2048) NOT NULL,
    body jsonb NOT NULL,
    error text,
    received_at timestamp with time zone NOT NULL,
    processed_at timestamp with time zone
);


--
-- Name: TABLE inbound_activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.inbound_activities IS 'A verified activity stored before we answer 202; the worker runs its handler.';


--
-- Name: inbound_activities_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.inbound_activities_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: inbound_activities_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.inbound_activities_id_seq OWNED BY public.inbound_activities.id;


--
-- Name: interactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interactions (
    id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    object_uri character varying(2048) NOT NULL,
    activity_uri character varying(2048) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    actor_id bigint NOT NULL
);


--
-- Name: TABLE interactions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.interactions IS 'A Like or an Announce of a local post by anyone.';


--
-- Name: interactions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.interactions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: interactions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.interactions_id_seq OWNED BY public.interactions.id;


--
-- Name: listed_sources; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.listed_sources (
    id bigint NOT NULL,
    kind character varying(8) NOT NULL,
    value character varying(2048) NOT NULL,
    note text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE listed_sources; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.listed_sources IS 'A remote account (actor URI) or domain an admin marked as a generated-art source.';


--
-- Name: listed_sources_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.listed_sources_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: listed_sources_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.listed_sources_id_seq OWNED BY public.listed_sources.id;


--
-- Name: media_attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.media_attachments (
    id bigint NOT NULL,
    "position" integer NOT NULL,
    remote_url character varying(2048),
    file_name character varying(255),
    media_type character varying(255) NOT NULL,
    description text NOT NULL,
    width integer,
    height integer,
    blurhash character varying(200),
    thumb_file character varying(255),
    thumb_width integer,
    thumb_height integer,
    focal_x double precision NOT NULL,
    focal_y double precision NOT NULL,
    size_bytes bigint,
    sha256 character varying(64),
    screening_verdict character varying(16) NOT NULL,
    screening_evidence jsonb,
    original_file character varying(255),
    cloak_state character varying(16) NOT NULL,
    cloak_report jsonb,
    post_id bigint NOT NULL
);


--
-- Name: media_attachments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.media_attachments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: media_attachments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.media_attachments_id_seq OWNED BY public.media_attachments.id;


--
-- Name: moderation_records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.moderation_records (
    id bigint NOT NULL,
    state character varying(16) NOT NULL,
    origin character varying(8) NOT NULL,
    actor_uri character varying(2048) NOT NULL,
    domain character varying(255) NOT NULL,
    activity_uri character varying(2048),
    post_uri character varying(2048),
    media_sha256 jsonb NOT NULL,
    evidence jsonb NOT NULL,
    reason text NOT NULL,
    appeal_note text,
    created_at timestamp with time zone NOT NULL,
    decided_at timestamp with time zone,
    post_id bigint
);


--
-- Name: TABLE moderation_records; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.moderation_records IS 'Why a post was refused or held, for an admin to read and decide on.';


--
-- Name: moderation_records_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.moderation_records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: moderation_records_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.moderation_records_id_seq OWNED BY public.moderation_records.id;


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    kind character varying(32) NOT NULL,
    post_uri character varying(2048),
    created_at timestamp with time zone NOT NULL,
    account_id bigint NOT NULL,
    recipient_id bigint NOT NULL
);


--
-- Name: TABLE notifications; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.notifications IS 'Something a member is told about: a follow or follow request, a favourite or boost of';


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notifications_id_seq OWNED BY public.notifications.id;


--
-- Name: oauth_apps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oauth_apps (
    id bigint NOT NULL,
    name character varying(255) NOT NULL,
    website character varying(2048),
    redirect_uris text NOT NULL,
    scopes character varying(1024) NOT NULL,
    client_id character varying(64) NOT NULL,
    client_secret_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE oauth_apps; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.oauth_apps IS 'An app registered with POST /api/v1/apps (anyone may register one, as on Mastodon).';


--
-- Name: oauth_apps_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.oauth_apps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: oauth_apps_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.oauth_apps_id_seq OWNED BY public.oauth_apps.id;


--
-- Name: oauth_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oauth_codes (
    code_hash character varying(64) NOT NULL,
    redirect_uri character varying(2048) NOT NULL,
    scopes character varying(1024) NOT NULL,
    code_challenge character varying(128),
    expires_at timestamp with time zone NOT NULL,
    actor_id bigint NOT NULL,
    app_id bigint NOT NULL
);


--
-- Name: TABLE oauth_codes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.oauth_codes IS 'A code the consent page gave a member''s browser; good once, for ten minutes.';


--
-- Name: oauth_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oauth_tokens (
    token_hash character varying(64) NOT NULL,
    scopes character varying(1024) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone,
    actor_id bigint,
    app_id bigint NOT NULL
);


--
-- Name: TABLE oauth_tokens; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.oauth_tokens IS 'An access token: a member''s (authorization code) or the app''s own (client';


--
-- Name: outbound_activities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbound_activities (
    id bigint NOT NULL,
    uri character varying(2048) NOT NULL,
    kind character varying(32) NOT NULL,
    body jsonb NOT NULL,
    public boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    actor_id bigint NOT NULL,
    post_id bigint
);


--
-- Name: TABLE outbound_activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.outbound_activities IS 'Every activity we emit, kept so that its id dereferences.';


--
-- Name: outbound_activities_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbound_activities_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbound_activities_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbound_activities_id_seq OWNED BY public.outbound_activities.id;


--
-- Name: post_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.post_subscriptions (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    account_id bigint NOT NULL,
    member_id bigint NOT NULL
);


--
-- Name: TABLE post_subscriptions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.post_subscriptions IS 'Mastodon''s bell on a follow (`notify`): the member is told when the account posts.';


--
-- Name: post_subscriptions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.post_subscriptions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: post_subscriptions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.post_subscriptions_id_seq OWNED BY public.post_subscriptions.id;


--
-- Name: posts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.posts (
    id bigint NOT NULL,
    uri character varying(2048) NOT NULL,
    url character varying(2048),
    local boolean NOT NULL,
    content text NOT NULL,
    title character varying(200) NOT NULL,
    tags jsonb NOT NULL,
    summary text,
    sensitive boolean NOT NULL,
    in_reply_to character varying(2048),
    visibility character varying(16) NOT NULL,
    recipients jsonb NOT NULL,
    published timestamp with time zone NOT NULL,
    updated timestamp with time zone,
    deleted_at timestamp with time zone,
    x_robots_tag character varying(200),
    held boolean NOT NULL,
    cloak_pending boolean NOT NULL,
    cloak_strength character varying(16),
    pinned_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    author_id bigint NOT NULL
);


--
-- Name: posts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.posts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: posts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.posts_id_seq OWNED BY public.posts.id;


--
-- Name: screening_embeddings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.screening_embeddings (
    id bigint NOT NULL,
    image integer NOT NULL,
    sha256 character varying(64),
    encoder character varying(64) NOT NULL,
    vector bytea NOT NULL,
    label character varying(8),
    created_at timestamp with time zone NOT NULL,
    record_id bigint NOT NULL
);


--
-- Name: TABLE screening_embeddings; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.screening_embeddings IS 'The bundled encoder''s embedding of an image a moderation record is about, labelled';


--
-- Name: screening_embeddings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.screening_embeddings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: screening_embeddings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.screening_embeddings_id_seq OWNED BY public.screening_embeddings.id;


--
-- Name: signing_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signing_keys (
    id bigint NOT NULL,
    name character varying(32) NOT NULL,
    private_key_pem text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE signing_keys; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.signing_keys IS 'A key of the instance other than the actors'' RSA keys: the Ed25519 key that signs';


--
-- Name: signing_keys_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.signing_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: signing_keys_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.signing_keys_id_seq OWNED BY public.signing_keys.id;


--
-- Name: subscribed_hashes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscribed_hashes (
    id bigint NOT NULL,
    entry_id character varying(2048) NOT NULL,
    algorithm character varying(16) NOT NULL,
    hash character varying(64) NOT NULL,
    reason character varying(16) NOT NULL,
    published timestamp with time zone,
    subscription_id bigint NOT NULL
);


--
-- Name: TABLE subscribed_hashes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.subscribed_hashes IS 'One entry of a subscribed list as last synced; replaced whole at each sync.';


--
-- Name: subscribed_hashes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.subscribed_hashes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: subscribed_hashes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.subscribed_hashes_id_seq OWNED BY public.subscribed_hashes.id;


--
-- Name: web_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_sessions (
    token_hash character varying(64) NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    actor_id bigint NOT NULL
);


--
-- Name: TABLE web_sessions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.web_sessions IS 'A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here, so';


--
-- Name: actors id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actors ALTER COLUMN id SET DEFAULT nextval('public.actors_id_seq'::regclass);


--
-- Name: album_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.album_items ALTER COLUMN id SET DEFAULT nextval('public.album_items_id_seq'::regclass);


--
-- Name: albums id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.albums ALTER COLUMN id SET DEFAULT nextval('public.albums_id_seq'::regclass);


--
-- Name: api_uploads id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_uploads ALTER COLUMN id SET DEFAULT nextval('public.api_uploads_id_seq'::regclass);


--
-- Name: bookmarks id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookmarks ALTER COLUMN id SET DEFAULT nextval('public.bookmarks_id_seq'::regclass);


--
-- Name: cloak_jobs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cloak_jobs ALTER COLUMN id SET DEFAULT nextval('public.cloak_jobs_id_seq'::regclass);


--
-- Name: deliveries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries ALTER COLUMN id SET DEFAULT nextval('public.deliveries_id_seq'::regclass);


--
-- Name: follows id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows ALTER COLUMN id SET DEFAULT nextval('public.follows_id_seq'::regclass);


--
-- Name: hash_entries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_entries ALTER COLUMN id SET DEFAULT nextval('public.hash_entries_id_seq'::regclass);


--
-- Name: hash_subscriptions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.hash_subscriptions_id_seq'::regclass);


--
-- Name: inbound_activities id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_activities ALTER COLUMN id SET DEFAULT nextval('public.inbound_activities_id_seq'::regclass);


--
-- Name: interactions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interactions ALTER COLUMN id SET DEFAULT nextval('public.interactions_id_seq'::regclass);


--
-- Name: listed_sources id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listed_sources ALTER COLUMN id SET DEFAULT nextval('public.listed_sources_id_seq'::regclass);


--
-- Name: media_attachments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.media_attachments ALTER COLUMN id SET DEFAULT nextval('public.media_attachments_id_seq'::regclass);


--
-- Name: moderation_records id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_records ALTER COLUMN id SET DEFAULT nextval('public.moderation_records_id_seq'::regclass);


--
-- Name: notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications ALTER COLUMN id SET DEFAULT nextval('public.notifications_id_seq'::regclass);


--
-- Name: oauth_apps id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_apps ALTER COLUMN id SET DEFAULT nextval('public.oauth_apps_id_seq'::regclass);


--
-- Name: outbound_activities id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbound_activities ALTER COLUMN id SET DEFAULT nextval('public.outbound_activities_id_seq'::regclass);


--
-- Name: post_subscriptions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.post_subscriptions_id_seq'::regclass);


--
-- Name: posts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts ALTER COLUMN id SET DEFAULT nextval('public.posts_id_seq'::regclass);


--
-- Name: screening_embeddings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_embeddings ALTER COLUMN id SET DEFAULT nextval('public.screening_embeddings_id_seq'::regclass);


--
-- Name: signing_keys id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_keys ALTER COLUMN id SET DEFAULT nextval('public.signing_keys_id_seq'::regclass);


--
-- Name: subscribed_hashes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribed_hashes ALTER COLUMN id SET DEFAULT nextval('public.subscribed_hashes_id_seq'::regclass);


--
-- Data for Name: actors; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.actors VALUES (1, 'https://art.example/users/alice', true, 'Person', 'alice', 'art.example', 'Alice', '<p>ink; paper</p>', NULL, 'https://art.example/users/alice/inbox', NULL, NULL, NULL, NULL, NULL, 'https://art.example/users/alice#main-key', 'PEM-A', 'PRIVATE-A', 'scrypt$x', false, true, false, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', '{}', true, NULL, false, NULL, '2026-12-06 04:52:57.274149+00');
INSERT INTO public.actors VALUES (2, 'https://masto.example/users/bob', false, 'Person', 'bob', 'masto.example', '', '', NULL, 'https://masto.example/users/bob/inbox', 'https://masto.example/inbox', NULL, NULL, NULL, NULL, 'https://masto.example/users/bob#main-key', 'PEM-B', NULL, NULL, false, true, false, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', '{}', true, NULL, false, NULL, '2026-12-06 04:52:57.276577+00');


--
-- Data for Name: album_items; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.album_items VALUES (1, 0, 1, 1);


--
-- Data for Name: albums; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.albums VALUES (1, 'Sketches', '', '2026-12-06 04:52:57.296506+00', '2026-12-06 04:52:57.296525+00', 1);


--
-- Data for Name: api_uploads; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: bookmarks; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: cloak_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cloak_jobs VALUES ('done', 0, '2026-11-30 12:00:00+00', NULL, 1, NULL, NULL, '2026-12-06 04:52:57.299815+00', NULL, 1);


--
-- Data for Name: deliveries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.deliveries VALUES ('pending', 0, '2026-11-30 12:00:00+00', NULL, 1, 'https://masto.example/inbox', 'masto.example', NULL, NULL, '2026-12-06 04:52:57.288776+00', NULL, 1);


--
-- Data for Name: domain_blocks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.domain_blocks VALUES ('spam.example', 'spam', '2026-12-06 04:52:57.293624+00');


--
-- Data for Name: domain_health; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.domain_health VALUES ('slow.example', 2, NULL, NULL);


--
-- Data for Name: follows; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.follows VALUES (1, 'accepted', 'https://masto.example/f/1', '2026-12-06 04:52:57.283631+00', 1, 2);


--
-- Data for Name: hash_entries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: hash_subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: inbound_activities; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.inbound_activities VALUES ('done', 0, '2026-11-30 12:00:00+00', NULL, 1, 'https://masto.example/a/1', 'Create', 'https://masto.example/users/bob', '{"type": "Create", "object": "https://masto.example/statuses/9"}', NULL, '2026-12-06 04:52:57.290662+00', NULL);


--
-- Data for Name: interactions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.interactions VALUES (1, 'like', 'https://art.example/posts/1', 'https://masto.example/l/1', '2026-12-06 04:52:57.285363+00', 2);


--
-- Data for Name: listed_sources; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: media_attachments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.media_attachments VALUES (1, 0, NULL, 'local/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg', 'image/jpeg', 'ink study', 640, 480, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj', NULL, NULL, NULL, 0, 0, NULL, NULL, 'accept', NULL, NULL, 'none', NULL, 1);


--
-- Data for Name: moderation_records; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.moderation_records VALUES (1, 'refused', 'remote', 'https://masto.example/users/bob', 'masto.example', 'https://masto.example/a/2', NULL, '[]', '[{"signal": "c2pa"}]', '', NULL, '2026-12-06 04:52:57.301776+00', NULL, NULL);


--
-- Data for Name: notifications; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: oauth_apps; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: oauth_codes; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: oauth_tokens; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: outbound_activities; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbound_activities VALUES (1, 'https://art.example/activities/1', 'Create', '{"type": "Create", "object": "https://art.example/posts/1"}', true, '2026-12-06 04:52:57.287061+00', 1, 1);


--
-- Data for Name: post_subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: posts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.posts VALUES (1, 'https://art.example/posts/1', NULL, true, '<p>héllo; it''s “quoted”</p>', '', '[]', NULL, false, NULL, 'public', '[]', '2026-11-30 12:00:00+00', NULL, NULL, NULL, false, false, NULL, NULL, '2026-12-06 04:52:57.27829+00', 1);
INSERT INTO public.posts VALUES (2, 'https://masto.example/statuses/9', NULL, false, '<p>lovely</p>', '', '[]', NULL, false, 'https://art.example/posts/1', 'public', '[]', '2026-11-30 12:05:00+00', NULL, NULL, NULL, false, false, NULL, NULL, '2026-12-06 04:52:57.280417+00', 2);


--
-- Data for Name: screening_embeddings; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: signing_keys; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: subscribed_hashes; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: web_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.web_sessions VALUES ('cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 'dddddddddddddddddddddddddddddddd', '2026-12-06 04:52:57.292113+00', '2026-12-30 12:00:00+00', 1);


--
-- Name: actors_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.actors_id_seq', 2, true);


--
-- Name: album_items_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.album_items_id_seq', 1, true);


--
-- Name: albums_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.albums_id_seq', 1, true);


--
-- Name: api_uploads_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_uploads_id_seq', 1, false);


--
-- Name: bookmarks_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.bookmarks_id_seq', 1, false);


--
-- Name: cloak_jobs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.cloak_jobs_id_seq', 1, true);


--
-- Name: deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.deliveries_id_seq', 1, true);


--
-- Name: follows_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.follows_id_seq', 1, true);


--
-- Name: hash_entries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.hash_entries_id_seq', 1, false);


--
-- Name: hash_subscriptions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.hash_subscriptions_id_seq', 1, false);


--
-- Name: inbound_activities_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.inbound_activities_id_seq', 1, true);


--
-- Name: interactions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.interactions_id_seq', 1, true);


--
-- Name: listed_sources_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.listed_sources_id_seq', 1, false);


--
-- Name: media_attachments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.media_attachments_id_seq', 1, true);


--
-- Name: moderation_records_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.moderation_records_id_seq', 1, true);


--
-- Name: notifications_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_id_seq', 1, false);


--
-- Name: oauth_apps_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.oauth_apps_id_seq', 1, false);


--
-- Name: outbound_activities_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbound_activities_id_seq', 1, true);


--
-- Name: post_subscriptions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.post_subscriptions_id_seq', 1, false);


--
-- Name: posts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.posts_id_seq', 2, true);


--
-- Name: screening_embeddings_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.screening_embeddings_id_seq', 1, false);


--
-- Name: signing_keys_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.signing_keys_id_seq', 1, false);


--
-- Name: subscribed_hashes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.subscribed_hashes_id_seq', 1, false);


--
-- Name: actors actors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actors
    ADD CONSTRAINT actors_pkey PRIMARY KEY (id);


--
-- Name: actors actors_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actors
    ADD CONSTRAINT actors_uri_key UNIQUE (uri);


--
-- Name: album_items album_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.album_items
    ADD CONSTRAINT album_items_pkey PRIMARY KEY (id);


--
-- Name: albums albums_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.albums
    ADD CONSTRAINT albums_pkey PRIMARY KEY (id);


--
-- Name: api_uploads api_uploads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_uploads
    ADD CONSTRAINT api_uploads_pkey PRIMARY KEY (id);


--
-- Name: bookmarks bookmarks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookmarks
    ADD CONSTRAINT bookmarks_pkey PRIMARY KEY (id);


--
-- Name: cloak_jobs cloak_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cloak_jobs
    ADD CONSTRAINT cloak_jobs_pkey PRIMARY KEY (id);


--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id);


--
-- Name: domain_blocks domain_blocks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.domain_blocks
    ADD CONSTRAINT domain_blocks_pkey PRIMARY KEY (domain);


--
-- Name: domain_health domain_health_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.domain_health
    ADD CONSTRAINT domain_health_pkey PRIMARY KEY (domain);


--
-- Name: follows follows_activity_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_activity_uri_key UNIQUE (activity_uri);


--
-- Name: follows follows_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_pkey PRIMARY KEY (id);


--
-- Name: hash_entries hash_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_entries
    ADD CONSTRAINT hash_entries_pkey PRIMARY KEY (id);


--
-- Name: hash_subscriptions hash_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_subscriptions
    ADD CONSTRAINT hash_subscriptions_pkey PRIMARY KEY (id);


--
-- Name: hash_subscriptions hash_subscriptions_url_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_subscriptions
    ADD CONSTRAINT hash_subscriptions_url_key UNIQUE (url);


--
-- Name: inbound_activities inbound_activities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_activities
    ADD CONSTRAINT inbound_activities_pkey PRIMARY KEY (id);


--
-- Name: inbound_activities inbound_activities_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_activities
    ADD CONSTRAINT inbound_activities_uri_key UNIQUE (uri);


--
-- Name: interactions interactions_activity_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interactions
    ADD CONSTRAINT interactions_activity_uri_key UNIQUE (activity_uri);


--
-- Name: interactions interactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interactions
    ADD CONSTRAINT interactions_pkey PRIMARY KEY (id);


--
-- Name: listed_sources listed_sources_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listed_sources
    ADD CONSTRAINT listed_sources_pkey PRIMARY KEY (id);


--
-- Name: media_attachments media_attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.media_attachments
    ADD CONSTRAINT media_attachments_pkey PRIMARY KEY (id);


--
-- Name: moderation_records moderation_records_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_records
    ADD CONSTRAINT moderation_records_pkey PRIMARY KEY (id);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: oauth_apps oauth_apps_client_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_apps
    ADD CONSTRAINT oauth_apps_client_id_key UNIQUE (client_id);


--
-- Name: oauth_apps oauth_apps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_apps
    ADD CONSTRAINT oauth_apps_pkey PRIMARY KEY (id);


--
-- Name: oauth_codes oauth_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT oauth_codes_pkey PRIMARY KEY (code_hash);


--
-- Name: oauth_tokens oauth_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_tokens
    ADD CONSTRAINT oauth_tokens_pkey PRIMARY KEY (token_hash);


--
-- Name: outbound_activities outbound_activities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbound_activities
    ADD CONSTRAINT outbound_activities_pkey PRIMARY KEY (id);


--
-- Name: outbound_activities outbound_activities_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbound_activities
    ADD CONSTRAINT outbound_activities_uri_key UNIQUE (uri);


--
-- Name: post_subscriptions post_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_subscriptions
    ADD CONSTRAINT post_subscriptions_pkey PRIMARY KEY (id);


--
-- Name: posts posts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);


--
-- Name: posts posts_uri_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_uri_key UNIQUE (uri);


--
-- Name: screening_embeddings screening_embeddings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_embeddings
    ADD CONSTRAINT screening_embeddings_pkey PRIMARY KEY (id);


--
-- Name: signing_keys signing_keys_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_keys
    ADD CONSTRAINT signing_keys_name_key UNIQUE (name);


--
-- Name: signing_keys signing_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_keys
    ADD CONSTRAINT signing_keys_pkey PRIMARY KEY (id);


--
-- Name: subscribed_hashes subscribed_hashes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribed_hashes
    ADD CONSTRAINT subscribed_hashes_pkey PRIMARY KEY (id);


--
-- Name: album_items uid_album_items_album_i_b40530; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.album_items
    ADD CONSTRAINT uid_album_items_album_i_b40530 UNIQUE (album_id, post_id);


--
-- Name: bookmarks uid_bookmarks_member__63136b; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookmarks
    ADD CONSTRAINT uid_bookmarks_member__63136b UNIQUE (member_id, post_id);


--
-- Name: deliveries uid_deliveries_activit_6e24bd; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT uid_deliveries_activit_6e24bd UNIQUE (activity_id, inbox);


--
-- Name: follows uid_follows_followe_7900d3; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows
    ADD CONSTRAINT uid_follows_followe_7900d3 UNIQUE (follower_id, followee_id);


--
-- Name: hash_entries uid_hash_entrie_algorit_ec236a; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_entries
    ADD CONSTRAINT uid_hash_entrie_algorit_ec236a UNIQUE (algorithm, hash);


--
-- Name: listed_sources uid_listed_sour_kind_9116fd; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listed_sources
    ADD CONSTRAINT uid_listed_sour_kind_9116fd UNIQUE (kind, value);


--
-- Name: notifications uid_notificatio_recipie_37624e; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT uid_notificatio_recipie_37624e UNIQUE (recipient_id, kind, account_id, post_uri);


--
-- Name: post_subscriptions uid_post_subscr_member__14506f; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_subscriptions
    ADD CONSTRAINT uid_post_subscr_member__14506f UNIQUE (member_id, account_id);


--
-- Name: web_sessions web_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_pkey PRIMARY KEY (token_hash);


--
-- Name: idx_actors_domain_037191; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_actors_domain_037191 ON public.actors USING btree (domain);


--
-- Name: idx_actors_key_id_5715a3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_actors_key_id_5715a3 ON public.actors USING btree (key_id);


--
-- Name: idx_actors_local_2efa5c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_actors_local_2efa5c ON public.actors USING btree (local);


--
-- Name: idx_actors_usernam_e61b34; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_actors_usernam_e61b34 ON public.actors USING btree (username, domain);


--
-- Name: idx_cloak_jobs_state_1e4b99; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_cloak_jobs_state_1e4b99 ON public.cloak_jobs USING btree (state, next_attempt_at);


--
-- Name: idx_deliveries_domain_3b9e62; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_deliveries_domain_3b9e62 ON public.deliveries USING btree (domain);


--
-- Name: idx_deliveries_state_36d329; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_deliveries_state_36d329 ON public.deliveries USING btree (state, next_attempt_at);


--
-- Name: idx_hash_entrie_withdra_2b8b15; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_hash_entrie_withdra_2b8b15 ON public.hash_entries USING btree (withdrawn_at);


--
-- Name: idx_hash_subscr_next_sy_55f066; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_hash_subscr_next_sy_55f066 ON public.hash_subscriptions USING btree (next_sync_at);


--
-- Name: idx_inbound_act_state_c6a667; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_inbound_act_state_c6a667 ON public.inbound_activities USING btree (state, next_attempt_at);


--
-- Name: idx_interaction_object__044bf5; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_interaction_object__044bf5 ON public.interactions USING btree (object_uri);


--
-- Name: idx_media_attac_post_id_01f3fa; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_media_attac_post_id_01f3fa ON public.media_attachments USING btree (post_id, "position");


--
-- Name: idx_moderation__actor_u_258946; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_moderation__actor_u_258946 ON public.moderation_records USING btree (actor_uri);


--
-- Name: idx_moderation__domain_577e94; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_moderation__domain_577e94 ON public.moderation_records USING btree (domain);


--
-- Name: idx_moderation__state_94d625; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_moderation__state_94d625 ON public.moderation_records USING btree (state);


--
-- Name: idx_posts_author__d3d09b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_posts_author__d3d09b ON public.posts USING btree (author_id, deleted_at, published);


--
-- Name: idx_posts_in_repl_3482f5; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_posts_in_repl_3482f5 ON public.posts USING btree (in_reply_to);


--
-- Name: idx_posts_local_6fa168; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_posts_local_6fa168 ON public.posts USING btree (local, published);


--
-- Name: idx_screening_e_label_ddedb7; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_screening_e_label_ddedb7 ON public.screening_embeddings USING btree (label);


--
-- Name: album_items album_items_album_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.album_items
    ADD CONSTRAINT album_items_album_id_fkey FOREIGN KEY (album_id) REFERENCES public.albums(id) ON DELETE CASCADE;


--
-- Name: album_items album_items_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.album_items
    ADD CONSTRAINT album_items_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE CASCADE;


--
-- Name: albums albums_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.albums
    ADD CONSTRAINT albums_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: api_uploads api_uploads_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_uploads
    ADD CONSTRAINT api_uploads_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: bookmarks bookmarks_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookmarks
    ADD CONSTRAINT bookmarks_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: bookmarks bookmarks_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookmarks
    ADD CONSTRAINT bookmarks_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE CASCADE;


--
-- Name: cloak_jobs cloak_jobs_attachment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cloak_jobs
    ADD CONSTRAINT cloak_jobs_attachment_id_fkey FOREIGN KEY (attachment_id) REFERENCES public.media_attachments(id) ON DELETE CASCADE;


--
-- Name: deliveries deliveries_activity_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_activity_id_fkey FOREIGN KEY (activity_id) REFERENCES public.outbound_activities(id) ON DELETE CASCADE;


--
-- Name: follows follows_followee_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_followee_id_fkey FOREIGN KEY (followee_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: follows follows_follower_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_follower_id_fkey FOREIGN KEY (follower_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: hash_entries hash_entries_record_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hash_entries
    ADD CONSTRAINT hash_entries_record_id_fkey FOREIGN KEY (record_id) REFERENCES public.moderation_records(id) ON DELETE SET NULL;


--
-- Name: interactions interactions_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interactions
    ADD CONSTRAINT interactions_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: media_attachments media_attachments_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.media_attachments
    ADD CONSTRAINT media_attachments_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE CASCADE;


--
-- Name: moderation_records moderation_records_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_records
    ADD CONSTRAINT moderation_records_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE SET NULL;


--
-- Name: notifications notifications_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: notifications notifications_recipient_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_recipient_id_fkey FOREIGN KEY (recipient_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: oauth_codes oauth_codes_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT oauth_codes_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: oauth_codes oauth_codes_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_codes
    ADD CONSTRAINT oauth_codes_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.oauth_apps(id) ON DELETE CASCADE;


--
-- Name: oauth_tokens oauth_tokens_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_tokens
    ADD CONSTRAINT oauth_tokens_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: oauth_tokens oauth_tokens_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oauth_tokens
    ADD CONSTRAINT oauth_tokens_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.oauth_apps(id) ON DELETE CASCADE;


--
-- Name: outbound_activities outbound_activities_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbound_activities
    ADD CONSTRAINT outbound_activities_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: outbound_activities outbound_activities_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbound_activities
    ADD CONSTRAINT outbound_activities_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE SET NULL;


--
-- Name: post_subscriptions post_subscriptions_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_subscriptions
    ADD CONSTRAINT post_subscriptions_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: post_subscriptions post_subscriptions_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.post_subscriptions
    ADD CONSTRAINT post_subscriptions_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: posts posts_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- Name: screening_embeddings screening_embeddings_record_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_embeddings
    ADD CONSTRAINT screening_embeddings_record_id_fkey FOREIGN KEY (record_id) REFERENCES public.moderation_records(id) ON DELETE CASCADE;


--
-- Name: subscribed_hashes subscribed_hashes_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribed_hashes
    ADD CONSTRAINT subscribed_hashes_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.hash_subscriptions(id) ON DELETE CASCADE;


--
-- Name: web_sessions web_sessions_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sessions
    ADD CONSTRAINT web_sessions_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actors(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


