"""Mail to members: queued in the database by the web process, sent by a worker over SMTP.

Queued, not sent from the request: the page answers at once and the same whether or not a
message was queued (a reset must not tell who has an account by how long it takes), a slow or
down mail server holds up no page, and a message the server acknowledged is on disk and is
retried until the SMTP server takes it. aiosmtplib is the asyncio SMTP client (STARTTLS,
implicit TLS, AUTH), so the worker's loop is never blocked by smtplib's sockets."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

import aiosmtplib

from cara_fed.config import Config, EmailSection
from cara_fed.store import queue
from cara_fed.store.account_models import OutboundMail

log = logging.getLogger(__name__)

# Longer than any one send: aiosmtplib times each step (connect, EHLO, data) out apart.
LEASE_SECONDS = 300.0
POLL_SECONDS = 1.0


class MailNotConfigured(Exception):
    """The instance has no [email] section: nothing can be sent."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str


async def queue_message(config: Config, message: Message, now: datetime) -> OutboundMail:
    if not config.email.configured:
        raise MailNotConfigured
    return await OutboundMail.create(
        to_address=message.to,
        subject=message.subject,
        text=message.text,
        html=message.html,
        next_attempt_at=now,
    )


def build(config: Config, mail: OutboundMail) -> EmailMessage:
    """Plain text for every reader, HTML beside it; From names the instance."""
    message = EmailMessage()
    message["From"] = formataddr((config.instance.name, config.email.from_address))
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = make_msgid(domain=config.email.from_address.rsplit("@", 1)[1])
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


async def send(email: EmailSection, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=email.smtp_host,
        port=email.smtp_port,
        username=email.username or None,
        password=email.password or None,
        use_tls=email.security == "tls",
        start_tls=email.security == "starttls",
        timeout=email.timeout_seconds,
    )


async def send_due(config: Config, now: datetime) -> int:
    """Send the next message due; returns how many were tried (0 or 1). One at a time, so a
    claimed message is never waiting behind slow sends while its lease runs out."""
    rows = await queue.claim_due(OutboundMail, now=now, lease_seconds=LEASE_SECONDS, limit=1)
    for mail in rows:
        try:
            await send(config.email, build(config, mail))
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
            retry = config.email.retry
            if retry.exhausted(mail.attempts):
                log.warning("gave up mailing %s: %s", mail.to_address, error)
                await queue.finish(OutboundMail, mail, state="failed", last_error=error,
                                   text="", html="")  # fmt: skip
            else:
                log.info("mail to %s failed, will retry: %s", mail.to_address, error)
                due = now + retry.delay(mail.attempts)
                await queue.finish(OutboundMail, mail, next_attempt_at=due, last_error=error)
            continue
        await queue.finish(OutboundMail, mail, state="sent", sent_at=now, text="", html="")
    return len(rows)


async def work_loop(config: Config, clock, stop: asyncio.Event) -> None:
    """Beside a worker's loop, when email is configured: mail is found by polling each
    second (a reset is not urgent to the millisecond, and it costs one indexed query)."""
    while not stop.is_set():
        try:
            if await send_due(config, clock.now()):
                continue
        except Exception:  # a bad row or a database hiccup must not end the worker
            log.exception("sending mail failed")
        try:
            await asyncio.wait_for(stop.wait(), POLL_SECONDS)
        except TimeoutError:
            pass
