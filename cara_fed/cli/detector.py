"""`cara-fed detector serve`: the reference detection service (cara_fed/detector_service.py)."""

from __future__ import annotations

import argparse
import asyncio
import signal

from cara_fed.config import Config
from cara_fed.errors import UserError


class DetectorCommandError(UserError):
    pass


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from cara_fed.asgi_server import listening_socket, serve
    from cara_fed.detector_service import create_detector_app

    if not config.detector.secret:
        raise DetectorCommandError(
            "set [detector] secret: the service answers only requests that carry it"
        )
    if config.screening.classifier == "off":
        raise DetectorCommandError("set [screening] classifier: the service needs a model to run")
    host = args.host or config.detector.host
    port = args.port or config.detector.port
    sock = listening_socket(host, port)
    app = create_detector_app(config)

    async def run() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(
            f"cara-fed detector is serving http://{host}:{port}/detect "
            f"(model: [screening] classifier = {config.screening.classifier!r})",
            flush=True,
        )
        await serve(app, sock, stop)
        return 0

    try:
        return asyncio.run(run())
    finally:
        sock.close()


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    detector = sub.add_parser("detector", parents=[common], help="the reference detection service")
    detector_sub = detector.add_subparsers(dest="detector_command", required=True)
    serve = detector_sub.add_parser(
        "serve", parents=[common], help="answer POST /detect with the configured model's score"
    )
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
