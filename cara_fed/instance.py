"""The wiring: one object holding the config and the services built from it, shared by the
web app, the worker and the CLI, so every entry point behaves the same."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from activitypub.urls import Urls
from cara_fed import SOFTWARE_NAME, __version__
from cara_fed.config import Config
from cara_fed.credentials_identity import CredentialsFiles, ensure
from cara_fed.media_storage import media_store_for
from cara_fed.services.throttle import Throttle
from cara_fed.store.domain_blocks import BlockList
from cara_fed.store.inbox_owners import InboxOwners
from cara_fed.store.media_store import MediaStore
from cara_fed.store.models import Actor, InboundActivity
from cara_fed.store.queue import backlog, pending_by_actor
from cara_fed.wake import WakeSender, channel_addresses
from federation.clock import Clock, SystemClock
from federation.delivery import DeliveryWorker
from federation.http_client import GuardedClient
from federation.resolver import Resolver, Signer
from federation.signatures.cavage import ClockWindow
from inbox import remote_detector
from inbox.backpressure import Backpressure
from inbox.context import InboxContext
from inbox.remote_media import RemoteMedia
from inbox.screening.screener import Screener
from inbox.sender_limits import LimitSettings, SenderLimits
from inbox.worker import InboundWorker


@dataclass
class Instance:
    config: Config
    clock: Clock
    urls: Urls
    client: GuardedClient
    resolver: Resolver
    delivery: DeliveryWorker
    inbound: InboundWorker
    inbox_context: InboxContext
    backpressure: Backpressure
    # Media files: the media directory or a bucket (cara_fed/media_storage.py).
    media: MediaStore
    # The Content Credentials signing identity (cara_fed/credentials_identity.py).
    credentials: CredentialsFiles
    # Wakes a worker in another process (cara_fed/wake.py); the events wake one in this one.
    waker: WakeSender = field(default_factory=lambda: WakeSender([]))
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    cloak_wake: asyncio.Event = field(default_factory=asyncio.Event)
    login_throttle: Throttle = field(default_factory=lambda: Throttle("login"))
    # Five sign-ups an hour from one address.
    signup_throttle: Throttle = field(default_factory=lambda: Throttle("signup", 5, 3600.0))
    # "Forgot password" requests, counted made or not, per client address and per address
    # asked about: a mailbox is not flooded with links, nor the server with requests.
    reset_throttle: Throttle = field(default_factory=lambda: Throttle("reset", 5, 3600.0))
    # Client API: app registrations and token requests per address, counted made or not.
    token_throttle: Throttle = field(default_factory=lambda: Throttle("token", 30, 300.0))
    # Client API, per member, Mastodon's limits: 300 statuses in 3 hours, 30 uploads in 30
    # minutes (every attempt counts, made or refused).
    status_throttle: Throttle = field(default_factory=lambda: Throttle("status", 300, 3 * 3600.0))
    media_throttle: Throttle = field(default_factory=lambda: Throttle("media", 30, 1800.0))
    # Personal inboxes known to exist, for a few seconds (cara_fed/store/inbox_owners.py).
    inbox_owners: InboxOwners = field(default_factory=InboxOwners)
    # Client-API uploads being screened by a task of this process (services/api_uploads.py).
    screening_uploads: set[int] = field(default_factory=set)

    def signature_window(self) -> ClockWindow:
        fed = self.config.federation
        return ClockWindow(
            self.clock.now(), fed.signature_max_age_seconds, fed.signature_max_skew_seconds
        )

    def wake_workers(self) -> None:
        self.wake.set()
        self.cloak_wake.set()
        self.waker.send()

    def wake_inbound(self) -> None:
        """An activity was stored: the inbound worker (the cloak worker has nothing to do)."""
        self.wake.set()
        self.waker.send()

    async def aclose(self) -> None:
        self.waker.close()
        await self.client.aclose()
        if self.inbox_context.detector is not None:
            await self.inbox_context.detector.aclose()


def user_agent(config: Config) -> str:
    contact = (
        f"; +{config.federation.user_agent_contact}" if config.federation.user_agent_contact else ""
    )
    return f"{SOFTWARE_NAME}/{__version__} (+{config.base_url}{contact})"


def _remote_media(config: Config, client: GuardedClient, media: MediaStore) -> RemoteMedia:
    return RemoteMedia(
        client,
        media,
        max_bytes=config.federation.max_media_bytes,
        max_pixels=config.media.max_pixels,
        jpeg_quality=config.media.jpeg_quality,
        spool_root=config.data_dir / "spool",
        budget_seconds=config.federation.media_fetch_budget_seconds,
    )


def screener_for(config: Config) -> Screener:
    """The screening pipeline as the config describes it (the CLI screens with it too)."""
    return Screener(
        config.screening,
        models_dir=config.models_dir,
        max_pixels=config.media.max_pixels,
        config_dir=config.path.parent,
    )


async def build_instance(config: Config, clock: Clock | None = None) -> Instance:
    """Needs the database open: the instance actor's key signs our fetches."""
    clock = clock or SystemClock()
    urls = Urls(config.base_url)
    fed = config.federation
    blocks = BlockList()
    client = GuardedClient(
        blocked=blocks.blocks,
        allow_private=fed.allow_private_addresses,
        user_agent=user_agent(config),
        timeout=fed.fetch_timeout_seconds,
        max_bytes=fed.max_fetch_bytes,
    )
    instance_actor = await Actor.get(uri=urls.instance_actor)
    resolver = Resolver(
        client,
        Signer(instance_actor.key_id, instance_actor.private_key_pem or ""),
        clock,
        actor_ttl_seconds=fed.remote_actor_ttl_seconds,
        max_json_bytes=fed.max_fetch_bytes,
    )
    delivery = DeliveryWorker(client, clock, config.delivery, user_agent(config))
    media = media_store_for(config)
    ensure(config.data_dir, urls.domain, clock.now())
    ctx = InboxContext(
        urls=urls,
        resolver=resolver,
        clock=clock,
        media=_remote_media(config, client, media),
        screener=screener_for(config),
        blocks=blocks,
        detector=remote_detector.from_config(config.screening, user_agent(config)),
        credentials_first_contact=config.screening.credentials_trust_on_first_contact,
        client=client,
        limits=SenderLimits(
            lambda now: pending_by_actor(InboundActivity, now),
            clock,
            LimitSettings(
                queued_per_actor=fed.inbox_queued_per_actor,
                queued_per_domain=fed.inbox_queued_per_domain,
                actor_rate=fed.inbox_actor_rate,
                actor_burst=fed.inbox_actor_burst,
                domain_rate=fed.inbox_domain_rate,
                domain_burst=fed.inbox_domain_burst,
            ),
        ),
    )
    instance = Instance(
        config,
        clock,
        urls,
        client,
        resolver,
        delivery,
        InboundWorker(ctx, config.inbound),
        ctx,
        Backpressure(
            lambda now: backlog(InboundActivity, now),
            clock,
            bound_seconds=fed.inbox_backlog_seconds,
            min_rate=fed.inbox_min_handled_per_second,
        ),
        media=media,
        credentials=CredentialsFiles(config.data_dir),
        waker=WakeSender(
            channel_addresses(config.data_dir, max(1, config.server.worker_processes))
        ),
    )
    ctx.wake_delivery = instance.wake_workers
    return instance
