"""Sending email through a configurable backend.

`smtp` (production) hands each message to an SMTP server named by one URL, MAIL_SMTP_URL:

- `smtp+starttls://user:password@host:587` — connect, then upgrade with STARTTLS (the usual
  submission port; most providers);
- `smtps://user:password@host:465` — TLS from the first byte;
- `smtp://host:25` — no encryption, for a relay on the same machine or network; it may not carry
  a password.

A user name or password with `@`, `:` or `/` in it is percent-encoded (`%40`, `%3A`, `%2F`).
Certificates are checked against the system's trusted authorities.

`log` (development default) writes each message to the app log; `memory` keeps them in
`outbox` for tests. Production refuses both (config.py): a reset link written to a log never
reaches the person who asked for it.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, render_template

log = logging.getLogger("marketplace.mail")
outbox: list["Message"] = []
BACKENDS = ("smtp", "log", "memory")
SMTP_TIMEOUT = 10  # seconds: a stuck mail server must not hold a request (and a worker) for long


class MailNotSent(RuntimeError):
    """The mail server refused the message or could not be reached."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "starttls", "tls" or "none"
    username: str | None
    password: str | None

    _SCHEMES = {"smtp+starttls": ("starttls", 587), "smtps": ("tls", 465), "smtp": ("none", 25)}

    @classmethod
    def from_url(cls, url: str | None) -> "SmtpSettings":
        """Raises ValueError, saying what to set, for a missing or unusable URL."""
        if not url:
            raise ValueError("MAIL_BACKEND is smtp but MAIL_SMTP_URL is not set. Set it to "
                             "smtp+starttls://user:password@host:587 (see README, Configuration).")
        parts = urlsplit(url)
        if parts.scheme not in cls._SCHEMES or not parts.hostname:
            raise ValueError("MAIL_SMTP_URL must look like smtp+starttls://user:password@host:587"
                             ", smtps://user:password@host:465 or smtp://host:25.")
        security, default_port = cls._SCHEMES[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError:
            raise ValueError("MAIL_SMTP_URL has a port that is not a number.") from None
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        if security == "none" and (username or password):
            raise ValueError("MAIL_SMTP_URL would send a password unencrypted. Use "
                             "smtp+starttls:// or smtps://.")
        return cls(parts.hostname, port, security, username, password)


def init_app(app: Flask) -> None:
    @app.errorhandler(MailNotSent)
    def mail_not_sent(error: MailNotSent):
        from marketplace.extensions import db

        db.session.rollback()
        return render_template("errors/mail.html"), 503


def send(to: str, subject: str, body: str) -> Message:
    """Sends one plain-text email: as a background job when there is Redis (retried, then
    listed in the failed jobs, if the server refuses it), otherwise now. Sent now, it raises
    MailNotSent if the SMTP server refuses it or cannot be reached; the error page then says
    so, and the request's changes are rolled back."""
    from marketplace import jobs

    jobs.enqueue(deliver, to, subject, body)
    return Message(to=to, subject=subject, body=body)


def deliver(to: str, subject: str, body: str) -> Message:
    """Hands one message to the configured back end, now."""
    message = Message(to=to, subject=subject, body=body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(message)
    elif backend == "log":
        log.warning("Email to %s\nSubject: %s\n\n%s", to, subject, body)
    elif backend == "smtp":
        _send_smtp(SmtpSettings.from_url(current_app.config["MAIL_SMTP_URL"]), message)
    else:
        raise RuntimeError(f"MAIL_BACKEND {backend!r} is not known. Use {', '.join(BACKENDS)}.")
    return message


def _send_smtp(settings: SmtpSettings, message: Message) -> None:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=settings.host)
    email.set_content(message.body)
    context = ssl.create_default_context()
    try:
        if settings.security == "tls":
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT,
                                      context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        with server:
            if settings.security == "starttls":
                server.starttls(context=context)
            if settings.username:
                server.login(settings.username, settings.password or "")
            server.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        # The address is personal data: log the server's answer, not whom the mail was for.
        log.error("Email %r not sent: %s", message.subject, error)
        raise MailNotSent(str(error)) from error
