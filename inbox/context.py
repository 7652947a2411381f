"""What handlers need from the rest of the instance, passed in rather than imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from activitypub.urls import Urls
from federation.clock import Clock
from federation.http_client import GuardedClient
from federation.resolver import Resolver
from inbox.remote_detector import RemoteDetector
from inbox.remote_media import RemoteMedia
from inbox.screening.screener import Screener
from inbox.sender_limits import SenderLimits
from inbox.storage import BlockList, InboundWriter


@dataclass
class InboxContext:
    urls: Urls
    resolver: Resolver
    clock: Clock
    media: RemoteMedia
    screener: Screener
    wake_delivery: Callable[[], None] = lambda: None
    writer: InboundWriter = field(default_factory=InboundWriter)
    blocks: BlockList = field(default_factory=BlockList)
    detector: RemoteDetector | None = None
    # Trust a peer's Content Credentials CA the first time its works arrive with them.
    credentials_first_contact: bool = False
    # The guarded client, for what handlers fetch besides actors (a peer's published CA).
    client: GuardedClient | None = None
    # Per-actor and per-domain limits on the inbox; None: none (the CLI, some tests).
    limits: SenderLimits | None = None
