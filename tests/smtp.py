"""A real SMTP server (aiosmtpd) on a free loopback port, for the tests that send mail."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "apikey", "s3cret:with/odd@chars"


class Inbox:
    """An aiosmtpd handler that keeps what it is given."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and \
                (auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD):
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server():
    """Starts a real SMTP server on a free port: `smtp_server(**aiosmtpd options)`; with
    `passwords=True` it accepts USER and PASSWORD only."""
    controllers = []

    def start(passwords: bool = False, **options):
        inbox = Inbox()
        if passwords:
            options["authenticator"] = inbox.authenticate
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                                server_hostname="localhost", **options)
        controller.start()
        controllers.append(controller)
        return inbox, controller.port

    yield start
    for controller in controllers:
        controller.stop()
