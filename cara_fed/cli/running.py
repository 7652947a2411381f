"""Running the instance: create its data directory and database, serve the web and the
workers in one process, or run only the background worker beside another server."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cara_fed.cli.session import with_instance
from cara_fed.config import Config
from cara_fed.credentials_identity import ensure
from cara_fed.errors import UserError
from cara_fed.services import accounts
from cara_fed.store.db import WORKER_SYNCHRONOUS, database
from cara_fed.wake import WakeListener, channel_addresses

if TYPE_CHECKING:
    from cara_fed.instance import Instance


def cmd_init(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True, log=print):
            await accounts.ensure_instance_actor(config)
        ensure(config.data_dir, config.domain, datetime.now(UTC))
        print(f"initialised {config.data_dir} (database {config.database_name})")
        return 0

    return asyncio.run(run())


def cmd_migrate(config: Config, args: argparse.Namespace) -> int:
    """Also done by `init`, by `serve` as it starts and by every command that writes: this
    one says what it did, and is the step to run after installing a new release."""

    async def run() -> int:
        applied: list[str] = []

        def note(message: str) -> None:
            applied.append(message)
            print(message)

        async with database(config, create_schema=True, log=note):
            pass
        if not applied:
            print(f"{config.database_name} is up to date")
        return 0

    return asyncio.run(run())


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


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.app import create_app
    from cara_fed.asgi_server import listening_socket, serve
    from cara_fed.media_storage import check_media_serving
    from cara_fed.web_processes import start_web_processes
    from cara_fed.worker_processes import parent_gone, start_workers, stop_workers

    host = args.host or config.server.host
    port = args.port or config.server.port
    extra_web = 0
    child = args.listen_fd is not None
    if child:  # a web process another `serve` started (web_processes.py)
        if parent_gone():
            return 0
        sock, count = socket.socket(fileno=args.listen_fd), 0
    else:
        if args.workers is not None and not 1 <= args.workers <= 64:
            raise UserError(f"--workers must be 1-64, got {args.workers}")
        # A bucket must keep originals private and, in redirect mode, its public URL must
        # send the no-AI headers: refuse to serve otherwise (cara_fed/media_storage.py).
        asyncio.run(check_media_serving(config))
        extra_web = (args.workers or config.server.web_processes) - 1
        count = config.server.worker_processes
        sock = listening_socket(host, port)
    app = create_app(config, with_worker=count == 0 and not child, prepare_database=not child)
    children: list = []

    @app.before_serving
    async def start_processes() -> None:
        """After the app's own start-up, so the database exists before the others open it."""
        if extra_web:
            children.extend(start_web_processes(config.path, sock, extra_web))
        workers = start_workers(config.path, count)
        children.extend(workers)
        if extra_web:
            print(f"  serving from {extra_web + 1} web processes", flush=True)
        if workers:
            pids = ", ".join(str(w.pid) for w in workers)
            print(f"  started {count} worker process(es): pid {pids}", flush=True)

    @app.after_serving
    async def stop_processes() -> None:
        await asyncio.to_thread(stop_workers, children)

    async def run() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if not child:
            print(f"cara-fed is serving {config.base_url} (listening on {host}:{port})", flush=True)
            if not count:
                print(
                    "  the worker runs in this process ([server] worker_processes = 0)", flush=True
                )
            print(
                f"  create an artist: {_invocation()} --config {config.path} user add NAME",
                flush=True,
            )
        await serve(app, sock, stop)
        return 0

    try:
        return asyncio.run(run())
    finally:
        sock.close()


def _invocation() -> str:
    """How the user can run this CLI again: the script path as typed, or `python -m`."""
    script = sys.argv[0]
    if script.endswith("__main__.py"):
        return f"{os.path.relpath(sys.executable)} -m cara_fed"
    return os.path.relpath(script) if os.sep in script else script


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    sub.add_parser(
        "init", parents=[common], help="create the data directory and database"
    ).set_defaults(func=cmd_init)
    sub.add_parser(
        "migrate", parents=[common], help="bring the database to this release's schema"
    ).set_defaults(func=cmd_migrate)
    serve = sub.add_parser("serve", parents=[common], help="run the web server and the worker")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="web processes on the one port (default: [server] web_processes, 1)",
    )
    serve.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)
    serve.set_defaults(func=cmd_serve)
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
