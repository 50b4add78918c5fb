"""A real SMTP server on loopback (aiosmtpd) that Django's SMTP backend sends to, for the email tests."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress


class Inbox:
    """aiosmtpd's handler: keeps each message parsed; `refuse` ("550 ...", "451 ...") answers DATA with it instead."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.refuse: str | None = None
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refuse:
            return self.refuse
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The inbox of a real SMTP server on an ephemeral loopback port; Django's default mailer sends to it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    settings.SITE_URL = "https://chirp.example"
    yield inbox
    controller.stop()


def verify(user, address: str | None = None, *, verified: bool = True, primary: bool = True) -> str:
    address = address or user.email
    EmailAddress.objects.create(user=user, email=address, verified=verified, primary=primary)
    return address


def parts(message) -> dict[str, str]:
    """content type -> decoded text of each leaf part."""
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
