"""Every URL this instance mints, in one place, so ids never drift between routes and builders.

The layout follows Mastodon's (`/users/NAME`, `/@NAME`), which some peers' heuristics expect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Urls:
    base: str

    @property
    def domain(self) -> str:
        return urlsplit(self.base).netloc

    @property
    def instance_actor_name(self) -> str:
        """The instance actor's preferredUsername: the host, as Mastodon names its own, but
        without a port, which no server parses in a handle (GoToSocial answered 500 to
        `127.0.0.1:18702@127.0.0.1:18702`, so it could not give us its key)."""
        return urlsplit(self.base).hostname or self.domain

    def is_local(self, uri: str) -> bool:
        try:
            parts = urlsplit(uri)
        except ValueError:
            return False
        return f"{parts.scheme}://{parts.netloc}".lower() == self.base.lower()

    def actor(self, username: str) -> str:
        return f"{self.base}/users/{username}"

    def key_id(self, actor_uri: str) -> str:
        return f"{actor_uri}#main-key"

    def inbox(self, username: str) -> str:
        return f"{self.actor(username)}/inbox"

    def outbox(self, username: str) -> str:
        return f"{self.actor(username)}/outbox"

    def followers(self, username: str) -> str:
        return f"{self.actor(username)}/followers"

    def following(self, username: str) -> str:
        return f"{self.actor(username)}/following"

    def featured(self, username: str) -> str:
        return f"{self.actor(username)}/collections/featured"

    def profile(self, username: str) -> str:
        return f"{self.base}/@{username}"

    @property
    def shared_inbox(self) -> str:
        return f"{self.base}/inbox"

    @property
    def instance_actor(self) -> str:
        return f"{self.base}/actor"

    def post(self, username: str, post_id: int) -> str:
        return f"{self.actor(username)}/statuses/{post_id}"

    def post_page(self, username: str, post_id: int) -> str:
        return f"{self.profile(username)}/{post_id}"

    def album(self, username: str, album_id: int) -> str:
        return f"{self.actor(username)}/albums/{album_id}"

    def album_page(self, username: str, album_id: int) -> str:
        return f"{self.profile(username)}/albums/{album_id}"

    def tag(self, name: str) -> str:
        return f"{self.base}/tags/{quote(name, safe='')}"

    def new_activity(self) -> str:
        return f"{self.base}/activities/{uuid.uuid4()}"

    def media(self, file_name: str) -> str:
        return f"{self.base}/media/{file_name}"

    @property
    def hash_list(self) -> str:
        return f"{self.base}/hash-list"

    def hash_list_entry(self, entry_id: int) -> str:
        return f"{self.base}/hash-list/entries/{entry_id}"

    @property
    def assertion_key(self) -> str:
        """The Ed25519 key of the instance actor that signs what it publishes (FEP-521a)."""
        return f"{self.instance_actor}#ed25519-key"
