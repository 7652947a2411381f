"""Confirming a sign-up's address ([email] confirm_signups): the link mailed at sign-up
(/email/confirm/TOKEN), and a form to have a new one sent (/email/confirm), which answers the
same whether or not an account waits on that address and is limited as password resets are.
Until the link is followed the member cannot sign in and the account is not there for other
servers, as Mastodon treats an unconfirmed account."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.routes.current import current_instance
from cara_fed.routes.passwords import address_asked, anonymous_page, queue_mail
from cara_fed.routes.web import page, refused
from cara_fed.services import emails
from cara_fed.store.models import Actor

bp = Blueprint("email_confirmation", __name__)
INVALID = (
    "this confirmation link does not work: it may have been used already or be over two days "
    "old. Ask for a new one."
)
SENT = (
    "If an account here waits for that address to be confirmed, a new link is on its way to "
    "it. It works for two days."
)


async def send_confirmation(person: Actor, address: str) -> None:
    instance = current_instance()
    token = await emails.start_confirmation(person, instance.clock.now())
    await queue_mail(
        address, f"Confirm your address on {instance.config.instance.name}",
        "confirm_email", person=person, link=f"{instance.urls.base}/email/confirm/{token}",
    )  # fmt: skip


@bp.get("/email/confirm/<token>")
async def confirm(token: str) -> Response:
    instance = current_instance()
    open_signups = instance.config.instance.registrations == "open"
    person = await emails.confirm(token, instance.clock.now(), open_signups=open_signups)
    if person is None:
        return await refused(INVALID, 404, "Link not valid")
    waiting = "" if person.approved or open_signups else (
        " An admin reads your request next; you can sign in once it is approved."
    )  # fmt: skip
    return await page(
        "message.html", title="Address confirmed",
        message=f"Thank you: your address is confirmed, @{person.username}.{waiting}",
    )  # fmt: skip


@bp.get("/email/confirm")
async def resend_form() -> Response:
    return await anonymous_page("confirm_resend.html", sent=None)


@bp.post("/email/confirm")
async def resend() -> Response:
    instance = current_instance()
    if not instance.config.email.confirm_signups:
        return await refused("this server does not ask sign-ups to confirm an address", 404)
    raw = await address_asked("confirmation request", "link requests")
    if isinstance(raw, Response):
        return raw
    person = await emails.member_at(raw)
    if person is not None and await emails.awaiting_confirmation(person):
        await send_confirmation(person, raw)
    return await anonymous_page("confirm_resend.html", sent=SENT)
