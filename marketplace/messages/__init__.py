"""Checked messages between a person and an employer about an application (issue 13). While the
person is in custody every message, either way, waits for their PEL's check
(marketplace/custody/messages.py holds the rules; this area only shows them)."""

from flask import Blueprint

bp = Blueprint("messages", __name__, url_prefix="/messages")

from marketplace.messages import routes  # noqa: E402,F401
