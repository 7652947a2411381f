"""Accounts in the client API. The signed-in member's own account first: every app calls
verify_credentials right after signing in, and shows what it answers."""

from __future__ import annotations

from quart import Blueprint, Response, request

from cara_fed.convert import to_api
from cara_fed.errors import UserError
from cara_fed.routes.api.auth import authorized
from cara_fed.routes.api.pages import paged, with_links
from cara_fed.routes.api.responses import api_error, body_params
from cara_fed.routes.current import current_instance
from cara_fed.routes.negotiation import json_response
from cara_fed.services import api_accounts, api_statuses, following, profile, subscriptions
from cara_fed.store.api_models import OAuthToken
from cara_fed.store.blocks import block_state
from cara_fed.store.models import Actor, Follow

bp = Blueprint("api_accounts", __name__)


@bp.get("/api/v1/accounts/verify_credentials")
async def verify_credentials() -> Response:
    token = await authorized("read:accounts", "profile")
    if isinstance(token, Response):
        return token
    return await _credential_account(token.actor)


async def _credential_account(person: Actor) -> Response:
    facts = await api_accounts.facts(person)
    requests = await api_accounts.pending_follow_requests(person)
    return json_response(
        to_api.credential_account(person, facts, current_instance().urls, requests)
    )


async def account_document(actor: Actor) -> dict:
    """The Account, with `moved` (the account it moved to, as Mastodon gives it) when that
    account is known here."""
    urls = current_instance().urls
    document = to_api.account(actor, await api_accounts.facts(actor), urls)
    target = await Actor.get_or_none(uri=actor.moved_to) if actor.moved_to else None
    if target is not None:
        document["moved"] = to_api.account(target, await api_accounts.facts(target), urls)
    return document


async def _actor(account_id: str) -> Actor | None:
    if not account_id.isdigit() or len(account_id) > 19:
        return None
    return await Actor.get_or_none(id=int(account_id), actor_type__not="Application")


async def with_account(scope: str, account_id: str) -> tuple[OAuthToken, Actor] | Response:
    """The caller's token (holding `scope`) and the account the path names, or the refusal."""
    token = await authorized(scope)
    if isinstance(token, Response):
        return token
    actor = await _actor(account_id)
    if actor is None:
        return api_error(404, "Record not found")
    return token, actor


@bp.get("/api/v1/accounts/lookup")
async def lookup() -> Response:
    token = await authorized("read:accounts")
    if isinstance(token, Response):
        return token
    acct = (request.args.get("acct") or "").strip().lstrip("@")
    name, _, domain = acct.partition("@")
    if domain in ("", current_instance().urls.domain):
        actor = await Actor.get_or_none(local=True, username=name, actor_type="Person")
    else:
        actor = await Actor.get_or_none(local=False, username=name, domain=domain)
    if actor is None:
        return api_error(404, "Record not found")
    return json_response(await account_document(actor))


@bp.get("/api/v1/accounts/relationships")
async def relationships() -> Response:
    token = await authorized("read:follows")
    if isinstance(token, Response):
        return token
    found = []
    for account_id in request.args.getlist("id[]") + request.args.getlist("id"):
        target = await _actor(account_id)
        if target is not None:
            found.append(await relationship_document(token.actor, target))
    return json_response(found)


@bp.get("/api/v1/accounts/<account_id>")
async def show(account_id: str) -> Response:
    found = await with_account("read:accounts", account_id)
    if isinstance(found, Response):
        return found
    return json_response(await account_document(found[1]))


@bp.get("/api/v1/accounts/<account_id>/statuses")
async def statuses(account_id: str) -> Response:
    found = await with_account("read:statuses", account_id)
    if isinstance(found, Response):
        return found
    token, actor = found
    flag = lambda name: request.args.get(name, "").lower() in ("true", "1")  # noqa: E731
    page = api_statuses.Page.of(request.args)
    posts = await api_statuses.by_author(
        token.actor,
        actor,
        page,
        only_media=flag("only_media"),
        exclude_replies=flag("exclude_replies"),
        exclude_reblogs=flag("exclude_reblogs"),
        pinned=flag("pinned"),
    )
    return await paged(token.actor, posts)


async def relationship_document(member: Actor, target: Actor) -> dict:
    """How `member` and `target` stand, as every follow-related endpoint answers."""
    return to_api.relationship(
        target,
        await following.follow_state(member, target),
        await following.follow_state(target, member),
        notifying=await subscriptions.rings(member, target),
        blocks=await block_state(member, target),
    )


@bp.post("/api/v1/accounts/<account_id>/follow")
async def follow(account_id: str) -> Response:
    found = await with_account("write:follows", account_id)
    if isinstance(found, Response):
        return found
    token, target = found
    params = await body_params()
    if await following.follow_state(token.actor, target) is None:
        try:
            await following.follow(current_instance(), token.actor, target.uri)
        except UserError as exc:
            return api_error(422, str(exc))
    if "notify" in params:
        # Mastodon sets the bell on every follow call that says, following already or not.
        on = str(params["notify"]).lower() in ("true", "1", "on")
        await subscriptions.ring(token.actor, target, on)
    return json_response(await relationship_document(token.actor, target))


@bp.post("/api/v1/accounts/<account_id>/unfollow")
async def unfollow(account_id: str) -> Response:
    found = await with_account("write:follows", account_id)
    if isinstance(found, Response):
        return found
    token, target = found
    if await following.follow_state(token.actor, target) is not None:
        try:
            await following.unfollow(current_instance(), token.actor, target.uri)
        except UserError as exc:
            return api_error(422, str(exc))
    await subscriptions.ring(token.actor, target, False)
    return json_response(await relationship_document(token.actor, target))


async def _follow_list(account_id: str, *, followers: bool) -> Response:
    """Accepted follows of or by the account, newest first, paged by the follow's id. A
    member who hides nothing here is shown whole: cara-fed has no hidden collections."""
    found = await with_account("read:accounts", account_id)
    if isinstance(found, Response):
        return found
    _, actor = found
    page = api_statuses.Page.of(request.args)
    query = Follow.filter(
        state="accepted", **({"followee": actor} if followers else {"follower": actor})
    )
    rows = await page.apply(query).limit(page.limit).prefetch_related("follower", "followee")
    if page.min_id is not None:
        rows = list(reversed(rows))
    response = json_response(
        [await account_document(r.follower if followers else r.followee) for r in rows]
    )
    return with_links(response, [row.pk for row in rows])


@bp.get("/api/v1/accounts/<account_id>/followers")
async def followers(account_id: str) -> Response:
    return await _follow_list(account_id, followers=True)


@bp.get("/api/v1/accounts/<account_id>/following")
async def following_list(account_id: str) -> Response:
    return await _follow_list(account_id, followers=False)


def _boolean(value: str | None) -> bool | None:
    return None if value is None else value.lower() in ("true", "1", "on")


@bp.patch("/api/v1/accounts/update_credentials")
async def update_credentials() -> Response:
    """The profile, edited from an app as on the web's profile page (and sent to peers):
    display name, note (the bio), avatar, header, locked, discoverable, and fields, which
    are the profile's links here (each value an http(s) address)."""
    token = await authorized("write:accounts")
    if isinstance(token, Response):
        return token
    form, files = await request.form, await request.files
    fields = [
        (form.get(f"{prefix}[name]", ""), form.get(f"{prefix}[value]", ""))
        for prefix in (f"fields_attributes[{i}]" for i in range(profile.MAX_LINKS + 1))
        if f"{prefix}[name]" in form or f"{prefix}[value]" in form
    ]
    try:
        change = profile.ProfileChange(
            display_name=form.get("display_name"),
            bio=form.get("note"),
            avatar=files["avatar"].read() if "avatar" in files else None,
            header=files["header"].read() if "header" in files else None,
            manually_approves_followers=_boolean(form.get("locked")),
            discoverable=_boolean(form.get("discoverable")),
            links=profile.parse_links(fields) if fields else None,
        )
        person = await profile.edit_profile(current_instance(), token.actor, change)
    except UserError as exc:
        return api_error(422, f"Validation failed: {exc}")
    return await _credential_account(person)
