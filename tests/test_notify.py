"""A new contact request tells the owners by email, through a real SMTP server (aiosmtpd) on
127.0.0.1; the email names nobody, and a mail server that fails loses no request."""

from __future__ import annotations

import socket
from email import message_from_bytes

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from locator.extensions import db, limiter
from locator.inbox.notices import recipients
from locator.models import AdminUser, ContactRequest
from tests.helpers.contact import VALID, send


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mail_to(directory):
    """Mail settings pointing at a port; requests made by the test removed after."""
    with directory.app_context():
        first = (db.session.scalar(sa.select(sa.func.max(ContactRequest.id))) or 0) + 1

    def point_at(port: int, notify: str = "owner@example.org") -> None:
        directory.config.update(LOCATOR_MAIL_SERVER="127.0.0.1", LOCATOR_MAIL_PORT=port,
                                LOCATOR_MAIL_USE_TLS=False, LOCATOR_MAIL_NOTIFY=notify,
                                LOCATOR_MAIL_SENDER="locator@example.org")  # fmt: skip

    limiter.reset()
    yield point_at
    directory.config.update(LOCATOR_MAIL_SERVER="", LOCATOR_MAIL_NOTIFY="")
    limiter.reset()
    with directory.app_context():
        db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id >= first))
        db.session.commit()


def _requests(directory) -> list[ContactRequest]:
    with directory.app_context():
        rows = db.session.scalars(sa.select(ContactRequest).order_by(ContactRequest.id)).all()
        db.session.expunge_all()
        return list(rows)


def test_a_new_request_notifies_by_email_without_personal_details(
    client, smtp_server, mail_to, directory
):
    controller, inbox = smtp_server
    mail_to(controller.port)
    assert send(client).status_code == 302
    assert len(inbox.messages) == 1
    to, content = inbox.messages[0]
    assert to == ["owner@example.org"]
    message = message_from_bytes(content)
    body = message.get_payload(decode=True).decode()
    assert message["Subject"] == "A contact request is waiting"
    assert "http://127.0.0.1:5000/admin/contact-requests" in body
    for detail in (VALID["name"], "555", VALID["email"], "opioids", "brother"):
        assert detail not in content.decode(), detail
    assert _requests(directory)[-1].notified_at is not None
    page = client.get("/contact/sent").get_data(as_text=True)
    assert "has been told that your request is waiting" in page


def test_a_failing_mail_server_loses_nothing_and_the_notice_is_sent_later(
    client, smtp_server, mail_to, directory
):
    controller, inbox = smtp_server
    mail_to(_free_port())  # nothing listens there
    assert send(client).status_code == 302
    stored = _requests(directory)[-1]
    assert stored.name == VALID["name"] and stored.notified_at is None
    assert stored.notify_attempts == 1
    mail_to(controller.port)
    result = directory.test_cli_runner().invoke(args=["send-notices"])
    assert result.exit_code == 0 and "Notices sent for 1 request(s)." in result.output
    assert len(inbox.messages) == 1
    assert _requests(directory)[-1].notified_at is not None
    again = directory.test_cli_runner().invoke(args=["send-notices"])
    assert "Notices sent for 0 request(s)." in again.output and len(inbox.messages) == 1


def test_by_default_every_active_owner_is_told(app_ctx, admin_user):
    owners = set(
        db.session.scalars(
            sa.select(AdminUser.email).where(AdminUser.role == "owner", AdminUser.active)
        )
    )
    assert set(recipients(db.session, {"LOCATOR_MAIL_NOTIFY": ""})) == owners
    named = {"LOCATOR_MAIL_NOTIFY": "a@example.org, b@example.org"}
    assert recipients(db.session, named) == ["a@example.org", "b@example.org"]


def test_without_a_mail_server_the_thank_you_page_says_how_requests_are_read(client):
    page = client.get("/contact/sent").get_data(as_text=True)
    assert "They are not alerted when one arrives" in page
