"""Making an artist's post from their uploads (screened, rendered, stored, then published or
held), and deleting one. What a post may be is in post_input, its text in post_text, the rights
statement in rights, sending it in publishing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_delete
from activitypub.vocab import PUBLIC
from cara_fed.services.cloak_choice import OFF, cloak_wanted, job_strength, parse_choice
from cara_fed.services.credentials import made_as, signed_renditions
from cara_fed.services.post_input import (
    DIRECT,
    MAX_IMAGES,
    MAX_TAGS,
    MAX_TEXT_LENGTH,
    VISIBILITIES,
    PostDraft,
    PostError,
    Upload,
    alt_text_required,
    check_alt_texts,
    check_title,
)
from cara_fed.services.post_text import link_mentions, text_to_html
from cara_fed.services.publishing import audience_inboxes, federate_post, named_in
from cara_fed.services.rights import rights_statement
from cara_fed.store import hash_lists, moderation
from cara_fed.store.albums import append_to_album
from cara_fed.store.ids import new_post_id
from cara_fed.store.media import (
    media_files,
    remove_unused_files,
    store_private_original,
    store_published_image,
)
from cara_fed.store.models import (
    Actor,
    Album,
    CloakJob,
    MediaAttachment,
    Post,
)
from cloak.content_credentials import MADE_AS
from cloak.imaging import BadImage
from cloak.rendition import PreparedImage, prepare_image
from federation.outbox import emit
from inbox.remote_detector import consult
from inbox.screening.batch import ScreenedBatch
from inbox.screening.types import REFUSE, REVIEW, MediaContext, Verdict

if TYPE_CHECKING:
    from cara_fed.instance import Instance


@dataclass(frozen=True)
class CheckedDraft:
    """A draft that passed every check, with what the checks resolved."""

    draft: PostDraft
    title: str
    album: Album | None
    cloak_strength: str | None  # the chosen strength's name, when the instance cloaks
    cloaked: bool


async def check_draft(instance: Instance, author: Actor, draft: PostDraft) -> CheckedDraft:
    """Every reason to refuse a draft, before anything is screened or written."""
    if author.suspended_at is not None:
        raise PostError(f"@{author.username} is suspended: it cannot post")
    if draft.visibility not in (*VISIBILITIES, DIRECT):
        raise PostError(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if draft.visibility == DIRECT and not draft.mentions:
        raise PostError("a direct message needs at least one @name of who it is for")
    if not draft.uploads:
        if not (draft.in_reply_to or draft.visibility == DIRECT):
            raise PostError(
                "a post needs at least one image (text alone can answer a post, or be a "
                "direct message)"
            )
        if not draft.text.strip():
            raise PostError("say something, or attach an image")
    if len(draft.uploads) > MAX_IMAGES:
        raise PostError(f"a post can carry at most {MAX_IMAGES} images")
    if len(draft.text) > MAX_TEXT_LENGTH:
        raise PostError(f"the text is longer than {MAX_TEXT_LENGTH} characters")
    check_alt_texts([u.alt for u in draft.uploads], required=alt_text_required(instance, author))
    if draft.made_as is not None and draft.made_as not in MADE_AS:
        raise PostError(f"how the work was made must be one of {', '.join(MADE_AS)}")
    title = check_title(draft.title)
    if len(draft.tags) > MAX_TAGS:
        raise PostError(f"a work can have at most {MAX_TAGS} tags")
    album = None
    if draft.album_id is not None:
        album = await Album.get_or_none(id=draft.album_id, owner=author)
        if album is None:
            raise PostError(f"{author.username} has no album {draft.album_id}")
    cloak = draft.cloak
    strength = parse_choice(draft.cloak_strength) if instance.config.cloak.enabled else None
    if strength is not None:
        if cloak is not None and cloak != (strength != OFF):
            wanted = "on" if cloak else "off"
            raise PostError(f"cloak strength {strength} contradicts the cloak {wanted}")
        cloak = strength != OFF
    cloaked = bool(draft.uploads) and cloak_wanted(instance, author, cloak)
    return CheckedDraft(draft, title, album, strength, cloaked)


@dataclass(frozen=True)
class Imported:
    """A work of the artist's back catalogue: dated as it first appeared, linked to where."""

    made_at: datetime
    source_url: str | None = None


async def publish_post(
    instance: Instance, author: Actor, draft: PostDraft, imported: Imported | None = None
) -> Post:
    """Screen, store and (once its images are cloaked, when they are to be) send a post."""
    checked = await check_draft(instance, author, draft)
    stored = await store_uploads(
        instance,
        author,
        list(draft.uploads),
        text=draft.text,
        cloaked=checked.cloaked,
        visibility=draft.visibility,
        declared=made_as(author, chosen=draft.made_as),
    )
    held = any(s.verdict.outcome == REVIEW for s in stored)
    now = instance.clock.now()
    async with in_transaction():
        post = await _create_post(instance, author, checked, held, now, imported)
        media = [attachment_of_upload(post, i, s) for i, s in enumerate(stored)]
        await MediaAttachment.bulk_create(media)
        if checked.album is not None:
            await append_to_album(checked.album, post)
        if checked.cloaked:
            saved = await MediaAttachment.filter(post=post).order_by("position")
            strength = job_strength(instance, post)
            await CloakJob.bulk_create(
                [CloakJob(attachment=m, next_attempt_at=now, strength=strength) for m in saved]
            )
        if held:
            batch = ScreenedBatch(
                tuple(s.verdict for s in stored), tuple(u.sha256 for u in draft.uploads)
            )
            await moderation.record_batch(
                batch,
                state="review",
                origin="local",
                actor_uri=author.uri,
                now=now,
                post_uri=post.uri,
                post=post,
            )
        elif not checked.cloaked:
            await federate_post(instance, post, author, media)
    instance.wake_workers()
    return post


async def _create_post(
    instance: Instance,
    author: Actor,
    checked: CheckedDraft,
    held: bool,
    now: datetime,
    imported: Imported | None = None,
) -> Post:
    draft, urls = checked.draft, instance.urls
    post_id = new_post_id(instance.clock)
    summary = draft.summary.strip()
    return await Post.create(
        id=post_id,
        uri=urls.post(author.username, post_id),
        url=urls.post_page(author.username, post_id),
        author=author,
        local=True,
        content=link_mentions(text_to_html(draft.text), {m.written: m.url for m in draft.mentions}),
        title=checked.title,
        tags=list(draft.tags),
        summary=summary or None,
        sensitive=draft.sensitive or bool(summary),
        visibility=draft.visibility,
        in_reply_to=draft.in_reply_to,
        recipients=[m.uri for m in draft.mentions],
        published=imported.made_at if imported else now,
        source_url=imported.source_url if imported else None,
        imported=imported is not None,
        held=held,
        cloak_pending=checked.cloaked,
        cloak_strength=checked.cloak_strength,
        made_as=draft.made_as,
    )


@dataclass(frozen=True)
class StoredUpload:
    """An upload screened, rendered and on disk, not yet a row."""

    upload: Upload
    verdict: Verdict
    image: PreparedImage
    original_file: str
    published_file: str | None  # None until the cloak has made it
    thumb_file: str | None


async def store_uploads(
    instance: Instance,
    author: Actor,
    uploads: list[Upload],
    *,
    text: str,
    cloaked: bool,
    visibility: str,
    declared: str,
) -> list[StoredUpload]:
    """Check the sizes, screen (a refusal is recorded and raised before anything is written),
    render and write each upload: the private original, and the published image and its
    thumbnail, signed with the work's Content Credentials (`declared`: how it was made),
    unless the cloak is to make them."""
    settings = instance.config.media
    for number, upload in enumerate(uploads, 1):
        if len(upload.data) > settings.max_upload_bytes:
            raise PostError(f"image {number} is over the {settings.max_upload_bytes} byte limit")
    verdicts = await _screen_uploads(instance, author, uploads, text, visibility)
    xmp = rights_statement(instance, author)
    prepared = []
    for number, upload in enumerate(uploads, 1):
        try:
            prepared.append(
                await asyncio.to_thread(
                    prepare_image,
                    upload.data,
                    max_pixels=settings.max_pixels,
                    max_published_pixels=settings.max_published_pixels,
                    quality=settings.jpeg_quality,
                    xmp=xmp,
                    publish=not cloaked,
                )
            )
        except ValueError as exc:
            raise PostError(f"image {number}: {exc}") from None
    if not cloaked:
        prepared = [await _signed(instance, author, declared, image) for image in prepared]
    store = instance.media
    return [
        StoredUpload(
            upload=upload,
            verdict=verdict,
            image=image,
            original_file=await store_private_original(store, image.original),
            published_file=image.published and await store_published_image(store, image.published),
            thumb_file=image.thumbnail and await store_published_image(store, image.thumbnail),
        )
        for upload, verdict, image in zip(uploads, verdicts, prepared, strict=True)
    ]


async def _signed(
    instance: Instance, author: Actor, declared: str, image: PreparedImage
) -> PreparedImage:
    assert image.published is not None and image.thumbnail is not None  # publish=True
    published, thumb = await signed_renditions(
        instance,
        author,
        declared,
        (image.original.width, image.original.height),
        (image.published, image.thumbnail),
        cloaked=False,
    )
    return replace(image, published=published, thumbnail=thumb)


def attachment_of_upload(post: Post, position: int, stored: StoredUpload) -> MediaAttachment:
    image = stored.image
    published, thumb = image.published, image.thumbnail
    return MediaAttachment(
        post=post,
        position=position,
        file_name=stored.published_file,
        original_file=stored.original_file,
        media_type=(published or image.original).media_type,
        description=stored.upload.alt.strip(),
        width=image.width,
        height=image.height,
        blurhash=published.blurhash if published else None,
        thumb_file=stored.thumb_file,
        thumb_width=thumb.width if thumb else None,
        thumb_height=thumb.height if thumb else None,
        size_bytes=len(published.data) if published else None,
        sha256=published.sha256 if published else None,
        screening_verdict=stored.verdict.outcome,
        screening_evidence=stored.verdict.evidence,
        cloak_state="none" if published else "pending",
        focal_x=stored.upload.focus[0],
        focal_y=stored.upload.focus[1],
    )


async def _screen_uploads(
    instance: Instance, author: Actor, uploads: list[Upload], text: str, visibility: str
) -> list[Verdict]:
    """Screen the uploads as they came (their metadata is what screening reads), before
    anything is stored; a refusal is recorded and explained, and nothing else is kept."""
    await hash_lists.refresh_index(instance.inbox_context.screener, instance.urls)
    verdicts = []
    for number, upload in enumerate(uploads, 1):
        if upload.verdict is not None:
            verdicts.append(upload.verdict)
            continue
        verdicts.append(await screen_upload(instance, author, upload, number, text, visibility))
    batch = ScreenedBatch(tuple(verdicts), tuple(u.sha256 for u in uploads))
    if batch.outcome == REFUSE:
        await moderation.record_batch(
            batch,
            state="refused",
            origin="local",
            actor_uri=author.uri,
            now=instance.clock.now(),
        )
        number, verdict = next((n, v) for n, v in enumerate(verdicts, 1) if v.outcome == REFUSE)
        raise PostError(
            f"image {number} was refused: {verdict.reason}. This instance does not accept "
            "generated images; if this is wrong, ask an admin to look at it"
        )
    return verdicts


async def screen_upload(
    instance: Instance, author: Actor, upload: Upload, number: int, text: str, visibility: str
) -> Verdict:
    """One image's screening as its post would have it (its text and visibility count)."""
    context = MediaContext(author_uri=author.uri, text=text, alt_text=upload.alt)
    try:
        verdict = await asyncio.to_thread(
            instance.inbox_context.screener.screen, upload.data, context
        )
    except BadImage as exc:
        raise PostError(f"image {number}: {exc}") from None
    return await consult(instance.inbox_context.detector, verdict, upload.data, visibility)


async def find_own_post(author: Actor, reference: str) -> Post:
    post = await Post.filter(author=author, deleted_at=None).filter(uri=reference).first()
    if post is None:
        post = await Post.filter(author=author, deleted_at=None, url=reference).first()
    if post is None:
        raise PostError(f"{author.username} has no post at {reference}")
    return post


async def delete_post(instance: Instance, author: Actor, reference: str) -> Post:
    post = await find_own_post(author, reference)
    urls = instance.urls
    now = instance.clock.now()
    async with in_transaction():
        files = await attachment_files(post)
        await MediaAttachment.filter(post=post).delete()
        post.deleted_at = now
        post.content = ""
        post.summary = None
        await post.save()
        body = build_delete(
            urls.new_activity(), author.uri, post.uri, [PUBLIC], [urls.followers(author.username)]
        )
        inboxes = await audience_inboxes(author, post, await named_in(post))
        await emit(author, body, inboxes, instance.clock, public=True)
    await remove_unused_files(files, instance.media)
    instance.wake_workers()
    return post


async def attachment_files(post: Post, media_ids: list[int] | None = None) -> list[str]:
    """Every file a post's images (or these of them) use: the published renditions, their
    thumbnails and the private originals."""
    query = MediaAttachment.filter(post=post)
    if media_ids is not None:
        query = query.filter(id__in=media_ids)
    return await media_files(query)
