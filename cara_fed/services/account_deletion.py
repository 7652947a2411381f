"""Deleting a local account, as Mastodon's DeleteAccountService does with its default options
(the account and user records reserved): everything of the member goes, their name stays
taken, and every server that may know them is sent a signed `Delete` of the actor.

Gone: works and their images (published renditions, thumbnails and private originals), albums,
drafts, imports and exported archives, follows both ways, likes and boosts, notifications,
bookmarks, blocks and mutes, sessions, app tokens, two-factor, the email address and reset
links, and the profile.
Kept: the emptied actor row (its name and keys: the Delete is signed with them, peers may
fetch the key to check it, and the name is never given to someone else), the reports made by
or about the member (moderation records, with the posts' addresses but no images: Mastodon
keeps reported statuses until the report is resolved), and the Delete's deliveries until
each is done. The actor, its WebFinger and its pages answer 410 Gone from then on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from activitypub.activity import build_delete_actor
from cara_fed.errors import UserError
from cara_fed.store.account_models import ExportJob
from cara_fed.store.import_models import ImportDraft, ImportJob
from cara_fed.store.media import media_files, remove_unused_files
from cara_fed.store.models import Actor, MediaAttachment
from federation.outbox import emit, follower_inboxes

if TYPE_CHECKING:
    from cara_fed.instance import Instance

# Relations of an actor whose rows stay: moderation records of what was reported.
KEPT = frozenset({"reports_made", "reports_about"})


class DeletionError(UserError):
    pass


@dataclass(frozen=True)
class Deleted:
    servers: int  # inboxes the Delete goes to
    works: int
    files: int


async def _known_inboxes(person: Actor) -> list[str]:
    """Followers first (as Mastodon sends to them first), then every other server this one
    knows an actor of: any of them may hold the member's works, replies or follows."""
    known = await Actor.filter(local=False).values_list("shared_inbox", "inbox")
    everyone = {shared or inbox for shared, inbox in known}
    return sorted(set(await follower_inboxes(person)) | everyone)


async def _files(person: Actor) -> list[str]:
    names = await media_files(MediaAttachment.filter(post__author_id=person.id))
    for images in await ImportDraft.filter(owner_id=person.id).values_list("images", flat=True):
        names += [image["file"] for image in images if image.get("file")]
    names += [name for name in (person.avatar_file, person.header_file) if name]
    return names


async def delete_account(instance: Instance, person: Actor) -> Deleted:
    if not person.local or person.actor_type != "Person":
        raise DeletionError("only a local member's account can be deleted here")
    if person.deleted_at is not None:
        raise DeletionError(f"@{person.username} was deleted already")
    inboxes = await _known_inboxes(person)
    files = await _files(person)
    sources = await ImportJob.filter(owner_id=person.id).values_list("source", flat=True)
    # Archives uploaded on the web were copied under data_dir/imports; the CLI's are the
    # artist's own files, not ours to remove.
    uploads = [Path(p) for p in sources if instance.config.data_dir / "imports" in Path(p).parents]
    # ...and the archives of the account made for download.
    uploads += [Path(p) for p in await ExportJob.filter(owner_id=person.id).values_list(
        "file", flat=True) if p]  # fmt: skip
    works = await person.posts.all().count()
    async with in_transaction():
        for name in sorted(Actor._meta.backward_fk_fields | Actor._meta.backward_o2o_fields):
            if name not in KEPT:
                relation = Actor._meta.fields_map[name]
                await relation.related_model.filter(**{relation.relation_field: person.id}).delete()
        await Actor.filter(id=person.id).update(
            display_name="", summary="", links=[], feed_filters={}, also_known_as=None,
            avatar_file=None, avatar_media_type=None, header_file=None, header_media_type=None,
            icon_url=None, image_url=None, password_hash=None, discoverable=False,
            manually_approves_followers=False, admin=False, moved_to=None,
            deleted_at=instance.clock.now(),
        )  # fmt: skip
        await emit(person, build_delete_actor(person.uri), inboxes, instance.clock, public=True)
    await remove_unused_files(files, instance.media)
    for upload in uploads:
        upload.unlink(missing_ok=True)
    instance.wake_workers()
    return Deleted(len(inboxes), works, len(set(files)))
