"""`cara-fed`: the admin's command line. Every command reads the same config file as the server
(--config, else $CARA_FED_CONFIG, else ./instance.toml), prints plain sentences, and exits 1
with a one-line reason when something is wrong."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path

from cara_fed.cli import cloak as cli_cloak
from cara_fed.cli import detector as cli_detector
from cara_fed.cli import domains as cli_domains
from cara_fed.cli import hashlist as cli_hashlist
from cara_fed.cli import moderation as cli_moderation
from cara_fed.cli import roles as cli_roles
from cara_fed.cli import signups as cli_signups
from cara_fed.cli.session import CommandError, with_instance
from cara_fed.config import Config, load_config
from cara_fed.errors import UserError
from cara_fed.instance import Instance
from cara_fed.services import accounts, follow_requests, following, post_input, posting, profile
from cara_fed.services.cloak_choice import CHOICES
from cara_fed.store.db import WORKER_SYNCHRONOUS, database
from cara_fed.wake import WakeListener, channel_addresses


def cmd_init(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            await accounts.ensure_instance_actor(config)
        print(f"initialised {config.data_dir} (database {config.database_path.name})")
        return 0

    return asyncio.run(run())


def cmd_user_add(config: Config, args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            raise CommandError("the password must be at least 8 characters")

    async def run() -> int:
        async with database(config, create_schema=True):
            await accounts.ensure_instance_actor(config)
            actor = await accounts.create_account(
                config,
                args.name,
                display_name=args.display_name or "",
                password=password,
                admin=args.admin,
            )
        print(f"created @{actor.username}@{config.domain}{' (admin)' if actor.admin else ''}")
        print(f"  profile: {actor.url}")
        print(f"  actor:   {actor.uri}")
        return 0

    return asyncio.run(run())


def cmd_user_list(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            people = await accounts.local_people()
        if not people:
            print("no accounts yet: cara-fed user add NAME")
        for person in people:
            role = "\tadmin" if person.admin else ""
            print(f"@{person.username}@{config.domain}\t{person.display_name}\t{person.uri}{role}")
        return 0

    return asyncio.run(run())


def _read_file(path: str | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read the {what} {path}: {exc.strerror}") from None


def cmd_user_edit(config: Config, args: argparse.Namespace) -> int:
    change = profile.ProfileChange(
        display_name=args.display_name,
        bio=args.bio,
        avatar=_read_file(args.avatar, "avatar"),
        header=_read_file(args.header, "header"),
        manually_approves_followers=args.approve_followers,
        discoverable=args.discoverable,
        cloak_images=args.cloak,
        cloak_review=args.cloak_review,
        require_alt_text=args.require_alt_text,
    )

    async def body(instance: Instance) -> int:
        actor = await accounts.local_person(args.name)
        await profile.edit_profile(instance, actor, change)
        told = "; followers' servers are told" if change.federated() else ""
        print(f"updated @{actor.username}@{config.domain}{told}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_follow_requests(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            person = await accounts.local_person(args.name)
            requests = await follow_requests.pending_requests(person)
        if not requests:
            print(f"no pending follow requests for {args.name}")
        for request in requests:
            print(f"{request.follower.handle}\t{request.follower.uri}")
        return 0

    return asyncio.run(run())


def _decide(accept: bool):
    def command(config: Config, args: argparse.Namespace) -> int:
        async def body(instance: Instance) -> int:
            local = await accounts.local_person(args.name)
            await follow_requests.decide(instance, local, args.account, accept=accept)
            print(f"{'approved' if accept else 'rejected'} {args.account}")
            return 0

        return asyncio.run(with_instance(config, body))

    return command


def cmd_worker(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.cloak_worker import run_cloak_worker
    from cara_fed.worker import run_worker
    from cara_fed.worker_processes import parent_gone

    if parent_gone():
        return 0

    async def body(instance: Instance) -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        listener = WakeListener(channel_addresses(config.data_dir))
        listener.attach(lambda: (instance.wake.set(), instance.cloak_wake.set()))
        woken = "woken by the server and the CLI" if listener.listening else "polling"
        jobs = "inbound, deliveries" + (", cloaking" if args.cloak else "")
        print(f"cara-fed worker (pid {os.getpid()}; {jobs}) running for {config.base_url}, "
              f"{woken}", flush=True)  # fmt: skip
        loops = [run_worker(instance, stop)]
        if args.cloak:
            loops.append(run_cloak_worker(instance, stop))
        try:
            await asyncio.gather(*loops)
        finally:
            listener.close()
        return 0

    return asyncio.run(with_instance(config, body, synchronous=WORKER_SYNCHRONOUS))


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


def cmd_follow(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        follower = await accounts.local_person(args.name)
        row, delivery_id = await following.follow(instance, follower, args.account)
        if delivery_id is None:  # an account of this server: decided already, or by hand
            print(f"{args.name} → {args.account}: {row.state}")
            return 0
        delivery = await instance.delivery.deliver_now(delivery_id)
        if delivery is not None and delivery.state != "done":
            print(
                f"the Follow is queued (the peer answered: {delivery.last_error}); "
                "the server's worker will retry"
            )
        state = await following.wait_for_answer(row, args.wait)
        print(f"{args.name} → {args.account}: {state}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_unfollow(config: Config, args: argparse.Namespace) -> int:
    async def body(instance: Instance) -> int:
        follower = await accounts.local_person(args.name)
        await following.unfollow(instance, follower, args.account)
        print(f"{args.name} no longer follows {args.account}")
        return 0

    return asyncio.run(with_instance(config, body))


def cmd_deliveries(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.services.reports import delivery_report

    async def run() -> int:
        async with database(config, create_schema=True):
            rows = await delivery_report()
        if not rows:
            print("no deliveries yet")
        else:
            print(f"{'domain':40} {'pending':>8} {'failing':>8} {'dead':>6} {'done':>6}")
            for r in rows:
                print(
                    f"{r.domain:40} {r.pending:>8} {r.failing:>8} {r.dead:>6} {r.done:>6}"
                    + (
                        f"  unavailable until {r.unavailable_until:%Y-%m-%d %H:%M}"
                        if r.unavailable_until
                        else ""
                    )
                )
        return 0

    return asyncio.run(run())


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


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config as HyperConfig

    from cara_fed.app import create_app
    from cara_fed.worker_processes import start_workers, stop_workers

    host = args.host or config.server.host
    port = args.port or config.server.port
    hyper = HyperConfig()
    hyper.bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    hyper.accesslog = None
    hyper.errorlog = None  # its messages reach our logging once, not twice
    hyper.graceful_timeout = 5
    count = config.server.worker_processes
    app = create_app(config, with_worker=count == 0)
    workers: list = []

    @app.before_serving
    async def start_worker_processes() -> None:
        """After the app's own start-up, so the database exists before a worker opens it."""
        workers.extend(start_workers(config.path, count))
        if workers:
            pids = ", ".join(str(w.pid) for w in workers)
            print(f"  started {count} worker process(es): pid {pids}", flush=True)

    @app.after_serving
    async def stop_worker_processes() -> None:
        await asyncio.to_thread(stop_workers, workers)

    async def run() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(f"cara-fed is serving {config.base_url} (listening on {host}:{port})", flush=True)
        if not count:
            print("  the worker runs in this process ([server] worker_processes = 0)", flush=True)
        print(
            f"  create an artist: {_invocation()} --config {config.path} user add NAME", flush=True
        )
        await serve(app, hyper, shutdown_trigger=stop.wait)
        return 0

    return asyncio.run(run())


def _invocation() -> str:
    """How the user can run this CLI again: the script path as typed, or `python -m`."""
    script = sys.argv[0]
    if script.endswith("__main__.py"):
        return f"{os.path.relpath(sys.executable)} -m cara_fed"
    return os.path.relpath(script) if os.sep in script else script


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        help="config file (default: $CARA_FED_CONFIG, else ./instance.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="cara-fed", parents=[common], description="Run and administer a cara-fed instance."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser(
        "init", parents=[common], help="create the data directory and database"
    ).set_defaults(func=cmd_init)
    user = sub.add_parser("user", parents=[common], help="local accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", parents=[common], help="create a local account")
    add.add_argument("name")
    add.add_argument("--display-name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read a password for web sign-in from the first line of stdin",
    )
    add.add_argument("--admin", action="store_true", help="let them decide sign-ups on the web")
    add.set_defaults(func=cmd_user_add)
    user_sub.add_parser("list", parents=[common], help="list local accounts").set_defaults(
        func=cmd_user_list
    )
    cli_signups.add_parsers(user_sub, common)
    cli_roles.add_parsers(user_sub, common)
    edit = user_sub.add_parser("edit", parents=[common], help="edit a profile (sent to peers)")
    edit.add_argument("name")
    edit.add_argument("--display-name")
    edit.add_argument("--bio")
    edit.add_argument("--avatar", metavar="PATH")
    edit.add_argument("--header", metavar="PATH")
    edit.add_argument(
        "--approve-followers",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="require approval of new followers",
    )
    edit.add_argument("--discoverable", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument(
        "--cloak",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="cloak this artist's published images (default: [cloak] artist_default)",
    )
    edit.add_argument(
        "--cloak-review",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="hold cloaked works until the artist presses Publish on the web (default: no)",
    )
    edit.add_argument(
        "--require-alt-text",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="refuse this artist's uploads without alt text (default: [media] require_alt_text)",
    )
    edit.set_defaults(func=cmd_user_edit)

    serve = sub.add_parser("serve", parents=[common], help="run the web server and the worker")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

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
    post.set_defaults(func=cmd_post)

    delete = sub.add_parser("delete", parents=[common], help="delete a post everywhere")
    delete.add_argument("name")
    delete.add_argument("post_url")
    delete.set_defaults(func=cmd_delete)

    for verb, func, text in (
        ("follow", cmd_follow, "follow an account, here or on another server"),
        ("unfollow", cmd_unfollow, "stop following an account"),
    ):
        p = sub.add_parser(verb, parents=[common], help=text)
        p.add_argument("name")
        p.add_argument("account", help="a name here, user@host[:port], or an actor URL")
        if verb == "follow":
            p.add_argument(
                "--wait", type=float, default=5.0, help="seconds to wait for the Accept (default 5)"
            )
        p.set_defaults(func=func)

    sub.add_parser("deliveries", parents=[common], help="delivery queue per domain").set_defaults(
        func=cmd_deliveries
    )
    worker = sub.add_parser(
        "worker", parents=[common], help="run only the background worker (a separate process)"
    )
    worker.add_argument(
        "--no-cloak",
        dest="cloak",
        action="store_false",
        help="leave cloaking to another worker (one cloak at a time needs about 1 GB)",
    )
    worker.set_defaults(func=cmd_worker)
    requests = sub.add_parser(
        "follow-requests", parents=[common], help="pending follow requests of an account"
    )
    requests.add_argument("name")
    requests.set_defaults(func=cmd_follow_requests)
    for verb, accept in (("approve", True), ("reject", False)):
        p = sub.add_parser(verb, parents=[common], help=f"{verb} a follow request")
        p.add_argument("name")
        p.add_argument("account", help="the follower's user@host or actor URL")
        p.set_defaults(func=_decide(accept))
    cli_moderation.add_parsers(sub, common)
    cli_cloak.add_parsers(sub, common)
    cli_domains.add_parsers(sub, common)
    cli_hashlist.add_parsers(sub, common)
    cli_detector.add_parsers(sub, common)
    timeline = sub.add_parser("timeline", parents=[common], help="a member's home feed")
    timeline.add_argument("name")
    timeline.add_argument("--limit", type=int, default=20)
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(func=cmd_timeline)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(getattr(args, "config", None))
        return args.func(config, args)
    except UserError as exc:  # a reason the person can act on, in one line
        print(f"cara-fed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
