"""The Quart application: routes, the database lifecycle and, when serving, the worker."""

from __future__ import annotations

import asyncio
import logging

from quart import Quart, Response
from tortoise.exceptions import OperationalError

from cara_fed.cloak_worker import run_cloak_worker
from cara_fed.config import Config
from cara_fed.instance import build_instance
from cara_fed.routes import (
    account,
    account_deletion,
    actors,
    admin,
    admin_accounts,
    admin_reports,
    api,
    authorised_apps,
    cloak_review,
    credentials,
    email_confirmation,
    export,
    feed,
    hash_list,
    health,
    imports,
    inbox,
    media,
    metrics,
    moves,
    notifications,
    pages,
    passwords,
    policy,
    posts,
    safety,
    signin,
    signup,
    studio,
    theme,
    two_factor,
    wellknown,
    work_images,
)
from cara_fed.routes.api.responses import install_cors
from cara_fed.routes.imports import import_request_class
from cara_fed.routes.local_target import link_target
from cara_fed.routes.negotiation import error
from cara_fed.routes.studio import upload_limit
from cara_fed.routes.theme import stylesheet_version
from cara_fed.routes.web import viewer_values
from cara_fed.services.accounts import ensure_instance_actor
from cara_fed.store.db import close_database, open_database
from cara_fed.theme import ratio_class, tile_ratio
from cara_fed.worker import run_worker
from federation.clock import Clock

log = logging.getLogger(__name__)
PAGE_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    config: Config,
    *,
    clock: Clock | None = None,
    with_worker: bool = True,
    prepare_database: bool = True,
) -> Quart:
    app = Quart(__name__)
    app.config["CARA_CONFIG"] = config
    # Quart buffers a request body whole: this bounds it (the upload form's is the largest).
    app.config["MAX_CONTENT_LENGTH"] = upload_limit(config.media.max_upload_bytes)
    # ...except an export uploaded to /imports (cara_fed/routes/imports.py).
    app.request_class = import_request_class(config.media.max_import_bytes)
    for module in (
        wellknown,
        credentials,
        actors,
        posts,
        inbox,
        media,
        policy,
        signin,
        passwords,
        email_confirmation,
        export,
        two_factor,
        account_deletion,
        pages,
        studio,
        cloak_review,
        work_images,
        account,
        authorised_apps,
        feed,
        signup,
        admin,
        admin_accounts,
        admin_reports,
        safety,
        notifications,
        moves,
        imports,
        hash_list,
        health,
        metrics,
        theme,
    ):
        app.register_blueprint(module.bp)
    for blueprint in api.BLUEPRINTS:
        app.register_blueprint(blueprint)
    install_cors(app)
    policy.install(app)
    _run_with_the_server(app, config, clock, with_worker, prepare_database)
    _answer_as_this_instance(app, config)
    return app


def _run_with_the_server(
    app: Quart, config: Config, clock: Clock | None, with_worker: bool, prepare_database: bool
) -> None:
    """Open the database and build the instance before the first request; the workers run in
    the server's loop unless `serve` gave them processes of their own. The first server
    prepares the database (schema, instance actor); the web processes it starts find it
    ready."""
    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []

    @app.before_serving
    async def startup() -> None:
        await open_database(config, create_schema=prepare_database)
        if prepare_database:
            await ensure_instance_actor(config)
        instance = await build_instance(config, clock)
        app.config["INSTANCE"] = instance
        if with_worker:
            tasks.append(asyncio.create_task(run_worker(instance, stop)))
            tasks.append(asyncio.create_task(run_cloak_worker(instance, stop)))

    @app.after_serving
    async def shutdown() -> None:
        stop.set()
        for task in tasks:
            await asyncio.wait_for(task, 10)
        await app.config["INSTANCE"].aclose()
        await close_database()


def _answer_as_this_instance(app: Quart, config: Config) -> None:
    """What every response shares: page values, the database-full answer, security headers."""

    app.add_template_filter(link_target, "web_url")
    app.add_template_filter(lambda size: ratio_class(*size), "ratio")
    app.add_template_filter(lambda size: tile_ratio(*size), "tile_ratio")

    @app.context_processor
    async def page_values() -> dict:
        return {
            "instance_name": config.instance.name,
            "noai": config.policy.advertise_noai,
            "registrations": config.instance.registrations,
            "stylesheet_version": stylesheet_version(),
            **await viewer_values(),
        }

    @app.errorhandler(OperationalError)
    async def storage_unavailable(exc: OperationalError) -> Response:
        """A full disk or a read-only database: say so with a 503 the sender will retry.
        The failed transaction rolled back, so nothing half-written stays behind."""
        log.error("database write failed: %s", exc)
        response = error(
            503,
            f"this server cannot write to its database right now ({exc}); nothing was "
            "stored, try again later",
        )
        response.headers["Retry-After"] = "60"
        return response

    @app.after_request
    async def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html":
            # Pages load nothing from another site and cannot be framed or post elsewhere.
            response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
