"""Sending email through a configurable backend.

`log` (development default) writes each message to the app log; `memory` keeps them in
`outbox` for tests. A production deployment adds an SMTP or API backend here.
"""

import logging
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger("marketplace.mail")
outbox: list["Message"] = []


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def send(to: str, subject: str, body: str) -> Message:
    message = Message(to=to, subject=subject, body=body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(message)
    elif backend == "log":
        log.warning("Email to %s\nSubject: %s\n\n%s", to, subject, body)
    else:
        raise RuntimeError(f"MAIL_BACKEND {backend!r} is not known. Use log or memory.")
    return message
