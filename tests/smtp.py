"""The one real SMTP server of the e-mail tests (recovery e-mails, the reps' digest): aiosmtpd on
loopback, started by the test. It keeps what it receives, refuses the recipients it is told to (as
a real server's 550 does), and can hold a message mid-DATA (for the killed-sender test). The
`smtp` fixture points Django's SMTP backend at it."""

import asyncio
import email
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    # Messages from this one on (counted from 1) are kept, then held without an answer.
    hold_from: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        if self.hold_from and len(self.received) >= self.hold_from:
            await asyncio.sleep(120)
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return [address for one in self.received for address in one.rcpt_tos]

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [one.message for one in self.received if address in one.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} arrived"
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    """The server, and Django's SMTP backend pointed at it."""
    controller, inbox = start_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()
