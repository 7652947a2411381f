"""Model → ActivityStreams. The only place that knows how a row becomes a document."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from activitypub.actor import ImageRef, LocalActor, build_actor
from activitypub.collection import build_album
from activitypub.hash_list import Entry as HashListEntry
from activitypub.nodeinfo import build_nodeinfo
from activitypub.note import Attachment, Note, build_note
from activitypub.urls import Urls
from activitypub.vocab import PUBLIC
from cara_fed import SOFTWARE_NAME, __version__
from cara_fed.config import Config
from cara_fed.services.post_text import text_to_html
from cara_fed.store.models import Actor, Album, HashEntry, MediaAttachment, Post
from cloak.policy import NOAI

# Mastodon shows at most this many attachments of a remote post; a longer work federates its
# first ones (the cover first) and links to its page for the rest.
FEDERATED_IMAGES = 4


def link_html(url: str) -> str:
    """A profile link as Mastodon writes one: `rel="me"` lets the linked site verify it."""
    shown = url.split("://", 1)[-1].rstrip("/")
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener noreferrer me">'
        f"{html.escape(shown)}</a>"
    )


def actor_document(
    actor: Actor,
    urls: Urls,
    album_ids: Sequence[int] = (),
    assertion_keys: tuple[tuple[str, str], ...] = (),
    links: tuple[tuple[str, str, str], ...] = (),
) -> dict[str, Any]:
    """A local actor's document, from the URLs stored on its row when it was created; its
    albums (their ids, in order) are listed as `streams`. A suspended account's shows no
    profile (name, bio, images, links, aliases, move), as Mastodon's ActorSerializer leaves
    out an unavailable account's."""
    if actor.suspended_at is not None:
        return build_actor(replace(_local_actor(actor, urls, (), assertion_keys, links),
                                   name=actor.username, summary_html="", icon=None, image=None,
                                   fields=(), also_known_as=(), moved_to=None, discoverable=False,
                                   indexable=False, manually_approves_followers=False,
                                   suspended=True))  # fmt: skip
    return build_actor(_local_actor(actor, urls, album_ids, assertion_keys, links))


def _local_actor(
    actor: Actor,
    urls: Urls,
    album_ids: Sequence[int],
    assertion_keys: tuple[tuple[str, str], ...],
    links: tuple[tuple[str, str, str], ...],
) -> LocalActor:
    return LocalActor(
        id=actor.uri,
        type=actor.actor_type,
        username=actor.username,
        name=actor.display_name or actor.username,
        summary_html=actor.summary,
        url=actor.url or urls.base,
        inbox=actor.inbox,
        shared_inbox=urls.shared_inbox,
        key_id=actor.key_id,
        public_key_pem=actor.public_key_pem,
        published=actor.created_at,
        outbox=actor.outbox,
        followers=actor.followers_url,
        following=actor.following_url,
        featured=actor.featured_url,
        manually_approves_followers=actor.manually_approves_followers,
        discoverable=actor.discoverable,
        indexable=actor.indexable,
        icon=_image_ref(actor.avatar_file, actor.avatar_media_type, urls),
        image=_image_ref(actor.header_file, actor.header_media_type, urls),
        fields=tuple((link["name"], link_html(link["url"])) for link in actor.links or ()),
        streams=tuple(urls.album(actor.username, a) for a in album_ids),
        assertion_keys=assertion_keys,
        links=links,
        also_known_as=tuple(actor.also_known_as or ()),
        moved_to=actor.moved_to,
    )


def _image_ref(file_name: str | None, media_type: str | None, urls: Urls) -> ImageRef | None:
    if not file_name:
        return None
    return ImageRef(urls.media(file_name), media_type or "image/jpeg")


def attachment_of(media: MediaAttachment, urls: Urls) -> Attachment:
    return Attachment(
        url=urls.media(media.file_name) if media.file_name else (media.remote_url or ""),
        media_type=media.media_type,
        name=media.description,
        width=media.width,
        height=media.height,
        blurhash=media.blurhash,
        focal_point=(media.focal_x, media.focal_y),
        type="Image" if media.media_type.startswith("image/") else "Document",
    )


def addressing(post: Post, author: Actor, urls: Urls) -> tuple[list[str], list[str]]:
    """Mastodon's: the audience by visibility, and the people the post names in `cc` (in
    `to`, alone, for a direct message)."""
    followers = urls.followers(author.username)
    named = [uri for uri in post.recipients or [] if uri not in (PUBLIC, followers)]
    if post.visibility == "direct":
        return named, []
    if post.visibility == "unlisted":
        return [followers], [PUBLIC, *named]
    if post.visibility == "followers":
        return [followers], named
    return [PUBLIC], [followers, *named]


def federated_content(post: Post, urls: Urls, image_count: int) -> str:
    """A local work as one HTML body, for readers that show only `content`: the title, the
    description, the hashtags, and a link to the page when not every image travels."""
    parts = []
    if post.title:
        parts.append(f"<p><strong>{html.escape(post.title)}</strong></p>")
    parts.append(post.content)
    if post.tags:
        parts.append(
            "<p>"
            + " ".join(
                f'<a href="{html.escape(urls.tag(t))}" class="mention hashtag" rel="tag">'
                f"#<span>{html.escape(t)}</span></a>"
                for t in post.tags
            )
            + "</p>"
        )
    if image_count > FEDERATED_IMAGES and post.url:
        parts.append(
            f'<p><a href="{html.escape(post.url)}">See all {image_count} images of this work'
            "</a></p>"
        )
    return "".join(parts)


def note_document(
    post: Post,
    author: Actor,
    media: list[MediaAttachment],
    urls: Urls,
    *,
    with_context: bool = True,
    x_robots_tag: str | None = None,
    mentions: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """`mentions`: (actor id, "@name@server") of the people a local post names."""
    to, cc = addressing(post, author, urls)
    content = post.content
    tag_links: tuple[tuple[str, str], ...] = ()
    if post.local:
        content = federated_content(post, urls, len(media))
        media = media[:FEDERATED_IMAGES]
        tag_links = tuple((t, urls.tag(t)) for t in post.tags)
    return build_note(
        Note(
            id=post.uri,
            attributed_to=author.uri,
            content=content,
            url=post.url,
            published=post.published,
            updated=post.updated,
            to=to,
            cc=cc,
            summary=post.summary,
            sensitive=post.sensitive,
            in_reply_to=post.in_reply_to,
            attachments=[attachment_of(m, urls) for m in media],
            tag_links=tag_links,
            mention_links=mentions,
            x_robots_tag=x_robots_tag if post.local else post.x_robots_tag,
        ),
        with_context=with_context,
    )


def album_document(album: Album, owner: Actor, work_uris: list[str], urls: Urls) -> dict[str, Any]:
    """An album: an OrderedCollection of its works' ids, in the artist's order."""
    return build_album(
        urls.album(owner.username, album.pk),
        name=album.title,
        summary_html=text_to_html(album.description) if album.description else "",
        url=urls.album_page(owner.username, album.pk),
        attributed_to=owner.uri,
        items=work_uris,
    )


@dataclass(frozen=True)
class UsageCounts:
    users: int
    active_month: int
    active_halfyear: int
    local_posts: int


def nodeinfo_document(config: Config, urls: Urls, usage: UsageCounts) -> dict[str, Any]:
    """NodeInfo 2.1, with what this instance refuses and asks of crawlers in its metadata."""
    noai = config.policy.advertise_noai
    return build_nodeinfo(
        software=SOFTWARE_NAME,
        version=__version__,
        users=usage.users,
        active_month=usage.active_month,
        active_halfyear=usage.active_halfyear,
        local_posts=usage.local_posts,
        open_registrations=False,
        metadata={
            "nodeName": config.instance.name,
            "nodeDescription": config.instance.description,
            "generatedArtPolicy": "refused",
            "aiTrainingPolicy": {
                "allowed": not noai,
                "xRobotsTag": NOAI if noai else None,
                "tdmReservation": 1 if noai else 0,
                "tdmPolicy": config.policy.tdm_policy_url or None,
                "robots": f"{urls.base}/robots.txt",
                "aiTxt": f"{urls.base}/ai.txt",
                "tdmrep": f"{urls.base}/.well-known/tdmrep.json",
            },
        },
    )


def hash_list_entry(row: HashEntry, urls: Urls) -> HashListEntry:
    return HashListEntry(
        urls.hash_list_entry(row.id), row.algorithm, row.hash, row.quality, row.reason,
        row.created_at,
    )  # fmt: skip
