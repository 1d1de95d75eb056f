"""Telling admins by email that contact requests wait: the request is stored first, always.

The notice says only that requests are waiting, with a link to the admin page: no name,
phone, email or message leaves the database. A request whose notice could not be sent (the
mail server is down) stays pending and is tried again at the next request, at the worker's
next round, or by `flask --app locator send-notices`.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from locator.extensions import db
from locator.models import AdminUser, ContactRequest, utcnow

MAX_ATTEMPTS = 50  # about a day of the worker's rounds; then an admin sees it on the dashboard
SMTP_TIMEOUT = 10
log = logging.getLogger(__name__)


def mail_enabled(config) -> bool:
    """True when a mail server is named: notices are sent."""
    return bool(config.get("LOCATOR_MAIL_SERVER"))


def recipients(session: Session, config) -> list[str]:
    """LOCATOR_MAIL_NOTIFY's addresses, else every active owner (who reads the requests)."""
    named = [a.strip() for a in (config.get("LOCATOR_MAIL_NOTIFY") or "").split(",")]
    if any(named):
        return [a for a in named if a]
    query = sa.select(AdminUser.email).where(AdminUser.active.is_(True))
    query = query.where(AdminUser.role == "owner")
    return list(session.scalars(query.order_by(AdminUser.id)))


def notice(config, count: int, to: list[str]) -> EmailMessage:
    """The email: how many requests wait, and where to read them; nothing about anyone."""
    message = EmailMessage()
    message["Subject"] = (
        "A contact request is waiting" if count == 1 else (f"{count} contact requests are waiting")
    )
    message["From"] = config.get("LOCATOR_MAIL_SENDER") or "locator@localhost"
    message["To"] = ", ".join(to)
    link = f"{config['LOCATOR_SITE_URL']}/admin/contact-requests"
    waiting = "A person has" if count == 1 else f"{count} people have"
    message.set_content(
        f"{waiting} asked to be contacted through the treatment locator.\n\n"
        f"Read and answer the requests here (sign-in needed):\n{link}\n\n"
        "This email carries no details of the requests on purpose.\n"
    )
    return message


def _send(config, message: EmailMessage) -> None:
    host, port = config["LOCATOR_MAIL_SERVER"], int(config["LOCATOR_MAIL_PORT"])
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as smtp:
        if config.get("LOCATOR_MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("LOCATOR_MAIL_USERNAME"):
            smtp.login(config["LOCATOR_MAIL_USERNAME"], config.get("LOCATOR_MAIL_PASSWORD", ""))
        smtp.send_message(message)


def send_pending_notices(session: Session, config=None) -> int:
    """Send one notice for the requests not yet notified; returns how many it covered."""
    config = current_app.config if config is None else config
    if not mail_enabled(config):
        return 0
    pending = list(
        session.scalars(
            sa.select(ContactRequest).where(
                ContactRequest.notified_at.is_(None),
                ContactRequest.handled.is_(False),
                ContactRequest.notify_attempts < MAX_ATTEMPTS,
            )
        )
    )
    to = recipients(session, config)
    if not pending or not to:
        return 0
    try:
        _send(config, notice(config, len(pending), to))
    except (OSError, smtplib.SMTPException) as error:
        log.warning("contact request notice not sent, tried again later: %s", type(error).__name__)
        for request in pending:
            request.notify_attempts += 1
        session.commit()
        return 0
    for request in pending:
        request.notified_at = utcnow()
    session.commit()
    return len(pending)


@click.command("send-notices")
@with_appcontext
def send_notices_command() -> None:
    """Email the admins about contact requests whose notice is not sent yet."""
    sent = send_pending_notices(db.session)
    click.echo(f"Notices sent for {sent} request(s).")
