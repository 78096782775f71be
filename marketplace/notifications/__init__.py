"""A person's notifications, and which ones they get by email (the notices themselves are
written by notify.py)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from marketplace.notifications import routes  # noqa: E402,F401
