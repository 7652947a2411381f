"""Posts on the command line: publish one (screened, cloaked, fanned out like a web upload),
delete one everywhere, and read a member's home feed."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cara_fed.cli.session import CommandError, with_instance
from cara_fed.config import Config
from cara_fed.services import accounts, post_input, posting
from cara_fed.services.cloak_choice import CHOICES
from cara_fed.store.db import database
from cloak.content_credentials import MADE_AS

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def cmd_post(config: Config, args: argparse.Namespace) -> int:
    images = args.image or []
    alts = args.alt or []
    if not images:
        raise CommandError("give at least one --image PATH with its --alt TEXT")
    if len(alts) != len(images):
        raise CommandError(
            f"{len(images)} image(s) but {len(alts)} --alt text(s): "
            "give one --alt after each --image"
        )
    uploads = []
    for path, alt in zip(images, alts, strict=True):
        try:
            uploads.append(post_input.Upload(Path(path).read_bytes(), alt))
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None

    async def body(instance: Instance) -> int:
        author = await accounts.local_person(args.name)
        draft = post_input.PostDraft(
            tuple(uploads),
            text=args.text or "",
            sensitive=args.sensitive,
            summary=args.summary or "",
            cloak=args.cloak,
            cloak_strength=args.cloak_strength,
            visibility=args.visibility,
            title=args.title or "",
            tags=tuple(post_input.parse_tags(" ".join(args.tag or []))),
            album_id=args.album,
            made_as=args.made_as,
        )
        post = await posting.publish_post(instance, author, draft)
        print(post.url)
        if post.cloak_pending and author.cloak_review:
            print(
                "its images are being cloaked; then it waits for you to check the cloak and "
                f"publish it at {config.base_url}/works/{post.pk}/cloak",
                file=sys.stderr,
            )
        elif post.cloak_pending:
            print(
                "its images are being cloaked; it publishes when they are done "
                "(cara-fed cloak-jobs shows the progress)",
                file=sys.stderr,
            )
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_delete(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        author = await accounts.local_person(args.name)
        post = await posting.delete_post(instance, author, args.post_url)
        print(f"deleted {post.uri}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_timeline(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.services.reports import home_timeline

    async def run() -> int:
        async with database(config, create_schema=True):
            person = await accounts.local_person(args.name)
            entries = await home_timeline(person, limit=args.limit)
        if args.json:
            print(json.dumps(entries, indent=2))
            return 0
        if not entries:
            print("nothing yet: follow someone with cara-fed follow")
        for e in entries:
            print(f"{e['published']}  {e['author']}  {e['uri']}")
            for m in e["media"]:
                print(f"    {m['media_type']} {m['width']}×{m['height']} alt={m['alt']!r}")
        return 0

    return asyncio.run(run())


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    post = sub.add_parser("post", parents=[common], help="publish a post and fan it out")
    post.add_argument("name")
    post.add_argument("--image", action="append", metavar="PATH")
    post.add_argument("--alt", action="append", metavar="TEXT")
    post.add_argument("--text")
    post.add_argument("--title")
    post.add_argument("--tag", action="append", metavar="NAME", help="a hashtag (repeatable)")
    post.add_argument("--album", type=int, metavar="ID", help="append the work to this album")
    post.add_argument("--sensitive", action="store_true")
    post.add_argument("--summary", help="content warning")
    post.add_argument(
        "--visibility",
        choices=post_input.VISIBILITIES,
        default="public",
        help="followers: sent and shown only to accepted followers",
    )
    post.add_argument(
        "--cloak",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="cloak this post's images (default: the artist's setting)",
    )
    post.add_argument(
        "--cloak-strength",
        choices=CHOICES,
        help="off, or how strong a cloak (default: the artist's setting, [cloak] strength)",
    )
    post.add_argument(
        "--made-as",
        choices=MADE_AS,
        help="how the work was made, declared in its Content Credentials: digital (a digital "
        "creation), photo (a photograph) or scan (of a physical work); default: the artist's",
    )
    post.set_defaults(func=cmd_post)

    delete = sub.add_parser("delete", parents=[common], help="delete a post everywhere")
    delete.add_argument("name")
    delete.add_argument("post_url")
    delete.set_defaults(func=cmd_delete)

    timeline = sub.add_parser("timeline", parents=[common], help="a member's home feed")
    timeline.add_argument("name")
    timeline.add_argument("--limit", type=int, default=20)
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(func=cmd_timeline)
