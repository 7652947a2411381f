"""The Mastodon client API (docs.joinmastodon.org/methods): what apps need to find the server,
sign a member in and act as them. Entities are built in cara_fed/convert/to_api.py."""

from cara_fed.routes.api import (
    accounts,
    follow_requests,
    instance,
    markers,
    media,
    notifications,
    oauth,
    safety,
    search,
    statuses,
    stubs,
    timelines,
)

BLUEPRINTS = (
    instance.bp,
    oauth.bp,
    accounts.bp,
    safety.bp,
    follow_requests.bp,
    media.bp,
    markers.bp,
    notifications.bp,
    search.bp,
    statuses.bp,
    timelines.bp,
    stubs.bp,
)
